/**
 * The workload as a phasewise user writes it: a `phasewise.yaml` with one phase per step, each its own role
 * (extending `research`, so read-only, with its gate: sections, grounding, cost, and "nothing changed"), the
 * OpenAI provider pointed at the fake server, and the run as `phasewise run` does it — the durable SQLite journal
 * (every model call and tool call recorded, and synced, before the run moves on), the ledger, the gates,
 * the workspace snapshot, redaction and the workspace tools with their path guard. Only the terminal renderer
 * is left out.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createCliModelResolver } from '../../src/cli/models.js';
import { cliRunParts } from '../../src/cli/run-parts.js';
import { loadWorkflow } from '../../src/config/index.js';
import { openJournal } from '../../src/journal/index.js';
import { checkModels } from '../../src/orchestrator/check-models.js';
import { runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { type FrameworkBench, phaseInput, phaseInstructions, type Workload } from './workload.js';

const KEY_ENV = 'PHASEWISE_BENCH_KEY';

/** What the ablations change: where the journal lives, and the phases' gate. */
interface Variant {
  /** A journal file outside the workspace (on tmpfs, fsync costs nothing). */
  journalFile?: string;
  /** `sections`: only the sections check, instead of the research role's default gate. */
  gate?: 'sections';
}

function config(workload: Workload, variant: Variant): string {
  const ids = Array.from({ length: workload.phases }, (_, index) => `p${index + 1}`);
  const agents = ids
    .map(
      (id, index) =>
        `  ${id}:\n    extends: research\n    prompt: ${JSON.stringify(phaseInstructions(index + 1))}\n    deliverables: [Handoff]`,
    )
    .join('\n');
  const phases = ids
    .map(
      (id, index) =>
        `  ${id}:\n    max_turns: ${workload.turns}\n` +
        (variant.gate === 'sections'
          ? '    quality_gate: { threshold: 0.8, checks: [{ kind: sections }] }\n'
          : '') +
        (index === 0 ? '' : `    depends_on: ${ids[index - 1]}\n`),
    )
    .join('');
  return `version: 1
task: ${JSON.stringify(phaseInput(undefined))}
budget: 100
models:
  tiers: [small, large]
  small: bench:${workload.model}
  large: bench:${workload.model}
  providers:
    bench: { kind: openai, base_url: "${workload.baseUrl}", api_key_env: ${KEY_ENV} }
agents:
${agents}
phases:
${phases}`;
}

/**
 * Builds one run of the workload (config written and loaded, models checked: what `phasewise run` does before
 * anything is recorded) and returns the run, which resolves to its outcome.
 */
export function preparePhasewise(
  workload: Workload,
  options: { abortSignal?: AbortSignal } & Variant = {},
): () => Promise<{ status: string; message: string | null }> {
  process.env[KEY_ENV] = workload.apiKey;
  const configFile = join(workload.workspace, 'phasewise.yaml');
  writeFileSync(configFile, config(workload, options));
  const workflow = loadWorkflow({ cwd: workload.workspace, configFile });
  checkModels(workflow, createCliModelResolver(workflow));
  return async () => {
    const journal = openJournal({
      workspace: workflow.workspace,
      ...(options.journalFile === undefined ? {} : { file: options.journalFile }),
    });
    try {
      const outcome = await runWorkflow({
        workflow,
        journal,
        ...cliRunParts(workflow),
        task: workflow.task!.text,
        ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      });
      return { status: outcome.status, message: outcome.message };
    } finally {
      await journal.close();
    }
  };
}

function phasewiseBench(
  name: string,
  durability: string,
  variant: (workload: Workload) => Variant,
): FrameworkBench {
  return {
    name,
    durability,
    async prepare(workload) {
      const chosen = variant(workload);
      const run = preparePhasewise(workload, chosen);
      return async () => {
        try {
          const outcome = await run();
          if (outcome.status !== 'succeeded') {
            throw new Error(`phasewise: the run ended ${outcome.status}: ${outcome.message}`);
          }
        } finally {
          if (chosen.journalFile !== undefined) {
            for (const suffix of ['', '-wal', '-shm'])
              rmSync(`${chosen.journalFile}${suffix}`, { force: true });
          }
        }
      };
    },
  };
}

const onTmpfs = (workload: Workload) => ({
  journalFile: join('/dev/shm', `phasewise-bench-${basename(workload.stateDir)}.db`),
});

/** As shipped first; then two ablations that show where its time goes (they are not how anyone should run it). */
export const benches: FrameworkBench[] = [
  phasewiseBench(
    'phasewise 0.1.0 (SQLite journal)',
    'every model call, tool call, gate and artifact journaled in SQLite as it happens, each record synced (fdatasync of the WAL) before the run moves on',
    () => ({}),
  ),
  phasewiseBench(
    'ablation: phasewise, journal on tmpfs',
    'as shipped, but the journal on /dev/shm, where a sync costs nothing (not durable: for the breakdown only)',
    onTmpfs,
  ),
  phasewiseBench(
    'ablation: phasewise, journal on tmpfs, sections-only gate',
    'as the row above, and each phase gated by its sections alone (no grounding lookup, no diff or cost check)',
    (workload) => ({ ...onTmpfs(workload), gate: 'sections' }),
  ),
];
