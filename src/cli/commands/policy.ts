/**
 * `phasewise policy simulate`: the configured policy, each single tier and the oracle replayed over a table of
 * per-task outcomes. Reads the files, hands their contents to the pure simulation (src/policy), prints.
 */
import { join, resolve } from 'node:path';
import { loadWorkflow } from '../../config/index.js';
import {
  GATE_ACCURACY_FILE,
  parseGateAccuracy,
  parseOutcomeTable,
  parseTierMap,
  simulatePolicies,
  type Verifier,
} from '../../policy/index.js';
import { roundUsd } from '../../util/format.js';
import { readDataFile } from '../read-data-file.js';
import { renderSimulation } from './policy-table.js';

export interface PolicySimulateOptions {
  outcomes: string;
  config?: string;
  map?: string;
  phase?: string;
  falsePass?: number;
  falseFail?: number;
  trials?: number;
  seed?: number;
  gateFrom?: string;
  json?: boolean;
}

export function policySimulateCommand(options: PolicySimulateOptions): number {
  const cwd = process.cwd();
  const outcomesFile = resolve(cwd, options.outcomes);
  const table = parseOutcomeTable(
    readDataFile(
      options.outcomes,
      'outcome table',
      'pass the JSON file of per-task outcomes with --outcomes',
    ),
    outcomesFile,
  );
  const workflow = loadWorkflow({
    cwd,
    ...(options.config === undefined ? {} : { configFile: options.config }),
  });
  const verifier = chooseVerifier(options);
  const result = simulatePolicies({
    workflow,
    table,
    verifier: verifier.rates,
    ...(options.map === undefined ? {} : { map: parseTierMap(options.map) }),
    ...(options.phase === undefined ? {} : { phaseId: options.phase }),
    ...(options.trials === undefined ? {} : { trials: options.trials }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const report = {
    outcomes: outcomesFile,
    workflow: workflow.sourceFile ?? 'built-in',
    ...result,
    verifier: { ...result.verifier, source: verifier.source },
  };
  process.stdout.write(
    options.json === true
      ? `${JSON.stringify(report, (_key, value) => (typeof value === 'number' ? roundUsd(value) : value), 2)}\n`
      : renderSimulation(report),
  );
  return 0;
}

/** Flags win over `--gate-from`, each rate on its own; a rate the eval could not measure (null) counts as 0. */
function chooseVerifier(options: PolicySimulateOptions): { rates: Verifier; source: string[] } {
  const source: string[] = [];
  let falsePassRate = options.falsePass;
  let falseFailRate = options.falseFail;
  if (options.gateFrom !== undefined) {
    const file = join(resolve(options.gateFrom), GATE_ACCURACY_FILE);
    const accuracy = parseGateAccuracy(
      readDataFile(file, 'gate-accuracy file', `\`phasewise eval -o ${options.gateFrom}\` writes it`),
      file,
    );
    const measured = [
      ['false-pass', 'hidden_failed', accuracy.overall.false_pass_rate, options.falsePass],
      ['false-fail', 'hidden_passed', accuracy.overall.false_fail_rate, options.falseFail],
    ] as const;
    for (const [name, denominator, rate, flag] of measured) {
      if (flag !== undefined) source.push(`${name} ${flag} from --${name}, over ${file}'s`);
      else if (rate === null)
        source.push(`${name} 0: ${file} has none (${denominator} is 0), so 0 is assumed`);
      else source.push(`${name} ${rate} from ${file} (overall)`);
    }
    falsePassRate ??= accuracy.overall.false_pass_rate ?? 0;
    falseFailRate ??= accuracy.overall.false_fail_rate ?? 0;
  } else if (falsePassRate !== undefined || falseFailRate !== undefined) {
    source.push('--false-pass / --false-fail (a rate not given is 0)');
  } else {
    source.push('perfect by default (--false-pass 0 --false-fail 0)');
  }
  return { rates: { falsePassRate: falsePassRate ?? 0, falseFailRate: falseFailRate ?? 0 }, source };
}
