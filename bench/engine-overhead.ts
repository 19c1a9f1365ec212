/**
 * The engine's own cost: a workflow whose model answers instantly (zero-latency scripted model) and whose tool
 * does nothing, so all the time measured is phasewise's — scheduling, prompt assembly, ledger, gates, events and
 * the durable SQLite journal (synchronous=FULL: every step is on disk before the run moves on).
 *
 * Run alone: npx tsx bench/engine-overhead.ts [--runs 7] [--phases 5] [--turns 20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../src/journal/index.js';
import { runWorkflow } from '../src/orchestrator/run-workflow.js';
import { createModelResolver } from '../src/provider/resolver.js';
import type { ModelScript } from '../src/testing/model-script.js';
import { ScriptedBackend } from '../src/testing/scripted-model.js';
import type { Tool } from '../src/tools/tool.js';
import { phase, report, testWorkflow } from '../test/support/workflow.js';
import { argValue, formatStats, stats } from './stats.js';

const noop: Tool = {
  name: 'noop',
  description: 'does nothing',
  inputSchema: { type: 'object' },
  permission: 'read',
  execute: async (input) => ({ output: `ok ${JSON.stringify(input)}`, isError: false }),
};

export async function engineOverhead(options: {
  runs: number;
  phases: number;
  turns: number;
}): Promise<string[]> {
  const ids = Array.from({ length: options.phases }, (_, index) => `p${index + 1}`);
  const script: ModelScript = {
    phases: Object.fromEntries(
      ids.map((id) => [
        id,
        [
          {
            turns: [
              ...Array.from({ length: options.turns - 1 }, (_, turn) => ({
                toolCalls: [{ name: 'noop', input: { id, turn } }],
              })),
              { text: report('research') },
            ],
          },
        ],
      ]),
    ),
  };
  const perPhase: number[] = [];
  const perStep: number[] = [];
  let steps = 0;
  for (let run = 0; run < options.runs; run += 1) {
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-'));
    const workflow = testWorkflow({
      workspace,
      concurrency: 1,
      phases: ids.map((id, index) =>
        phase(id, {
          agent: 'research',
          maxTurns: options.turns,
          dependsOn: index === 0 ? [] : [ids[index - 1]!],
        }),
      ),
    });
    const backend = new ScriptedBackend({ script });
    const journal = openJournal({ workspace });
    const resolveModel = createModelResolver({
      providers: workflow.providers,
      factories: { scripted: (_p, model) => backend.model(model) },
    });
    const started = performance.now();
    const outcome = await runWorkflow({ workflow, journal, resolveModel, tools: [noop], task: 'bench' });
    const elapsed = performance.now() - started;
    if (outcome.status !== 'succeeded')
      throw new Error(`bench run ended ${outcome.status}: ${outcome.message}`);
    steps = (await journal.listSteps(outcome.runId)).length;
    await journal.close();
    rmSync(workspace, { recursive: true, force: true });
    perPhase.push(elapsed / options.phases);
    perStep.push(elapsed / steps);
  }
  return [
    `engine overhead: ${options.phases} phases × ${options.turns} turns (${options.turns - 1} tool calls each), ${steps} journal steps a run`,
    formatStats('  per phase', stats(perPhase), 'ms'),
    formatStats('  per recorded step (model, tool, gate, artifact)', stats(perStep), 'ms'),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await engineOverhead({
    runs: argValue('runs', 7),
    phases: argValue('phases', 5),
    turns: argValue('turns', 20),
  });
  console.log(lines.join('\n'));
}
