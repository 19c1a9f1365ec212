/**
 * Policy efficiency on real outcomes (issue 14): the built-in workflow's policy replayed by `src/policy` over the
 * per-task results of OpenHands v1.8.3 on SWE-bench Verified shipped in `bench/data/` (provenance in
 * bench/data/README.md), beside all-top, all-cheapest, each tier and the oracle; then the verifier sweep,
 * false-pass 0–0.3 × false-fail 0–0.3. Pure arithmetic on the table: no model is called.
 *
 * Run alone: npx tsx bench/policy-real-data.ts [--trials 1000] [--outcomes FILE]
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinWorkflow } from '../src/config/index.js';
import {
  type Estimate,
  type OutcomeTable,
  type PolicySimulation,
  parseOutcomeTable,
  simulatePolicies,
} from '../src/policy/index.js';
import { argValue } from './stats.js';

export const REAL_OUTCOMES = join(import.meta.dirname, 'data', 'openhands-swe-bench-verified.json');
const SWEEP = [0, 0.1, 0.2, 0.3] as const;

const percent = (value: number | null) => (value === null ? '–' : `${(100 * value).toFixed(1)} %`);
const dollars = (value: number | null) => (value === null ? '–' : `$${value.toFixed(2)}`);
const range = (estimate: Estimate, show: (value: number | null) => string) =>
  estimate.low === null
    ? show(estimate.value)
    : `${show(estimate.value)} (${show(estimate.low)}–${show(estimate.high)})`;

function policyLine(policy: PolicySimulation): string {
  return (
    `  ${policy.label.padEnd(30)} ${policy.attempts.join('→').padEnd(20)} ` +
    `solved ${range(policy.solvedRate, percent).padEnd(26)} cost ${range(policy.totalCostUsd, dollars).padEnd(26)} ` +
    `${percent(policy.costVsAllTop.value).padStart(8)} of all-top, wrong shipped ${percent(policy.wrongShippedRate.value)}`
  );
}

function simulate(table: OutcomeTable, falsePassRate: number, falseFailRate: number, trials: number) {
  return simulatePolicies({
    workflow: builtinWorkflow(process.cwd()),
    table,
    verifier: { falsePassRate, falseFailRate },
    trials,
  });
}

export function policyOnRealData(options: { trials: number; outcomes?: string }): string[] {
  const file = options.outcomes ?? REAL_OUTCOMES;
  const table = parseOutcomeTable(readFileSync(file, 'utf8'), file);
  const perfect = simulate(table, 0, 0, options.trials);
  const mapping = perfect.mapping.tiers.map((tier) => `${tier.tier} = ${tier.model}`).join(', ');
  const lines = [
    `policy on real outcomes: ${relative(process.cwd(), file)}, ${perfect.tasks} tasks (${mapping}); built-in workflow, perfect verifier`,
    ...perfect.policies.map(policyLine),
    `  verifier sweep, built-in policy (${perfect.policies[0]!.attempts.join('→')}), ${options.trials} trials each: solved · cost vs all-top · wrong shipped`,
    `  ${'false-pass \\ false-fail'.padEnd(24)} ${SWEEP.map((rate) => String(rate).padEnd(30)).join(' ')}`,
  ];
  for (const falsePass of SWEEP) {
    const cells = SWEEP.map((falseFail) => {
      const configured = simulate(table, falsePass, falseFail, options.trials).policies[0]!;
      return `${percent(configured.solvedRate.value)} · ${percent(configured.costVsAllTop.value)} · ${percent(configured.wrongShippedRate.value)}`.padEnd(
        30,
      );
    });
    lines.push(`  ${String(falsePass).padEnd(24)} ${cells.join(' ')}`);
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outcomes = process.argv.includes('--outcomes')
    ? process.argv[process.argv.indexOf('--outcomes') + 1]
    : undefined;
  const lines = policyOnRealData({ trials: argValue('trials', 1000), ...(outcomes ? { outcomes } : {}) });
  console.log(lines.join('\n'));
}
