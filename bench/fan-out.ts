/**
 * Fan-out against one agent: the wall time and cost of an implementation phase with 4 independent work items, each
 * model answer taking 1.5 s. Variant A fans the phase out (`fan_out`, `max_parallel: 4`: one lane and one git
 * worktree per item, then the merge); variant B is one agent doing the same items' writes in sequence, on the same
 * tier and model. Both run in-process against a real git repository with a small project, the real SQLite journal,
 * the real workspace tools and the scripted model (its latency is real wall time; its token counts are estimated
 * from the request and answer sizes and priced as the tier's model). While A runs, the size of
 * `.phasewise/worktrees` is sampled every 50 ms for the peak disk use of the lanes' worktrees.
 *
 * Run alone: npx tsx bench/fan-out.ts [--runs 3] [--latency 1500]
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunEvent } from '../src/events/index.js';
import { openJournal } from '../src/journal/index.js';
import { runWorkflow } from '../src/orchestrator/run-workflow.js';
import { createModelResolver } from '../src/provider/resolver.js';
import type { ModelScript, ScriptedTurn } from '../src/testing/model-script.js';
import { ScriptedBackend } from '../src/testing/scripted-model.js';
import { createWorkspaceTools } from '../src/tools/workspace-tools.js';
import { phase, report, testWorkflow } from '../test/support/workflow.js';
import { argValue, formatStats, stats } from './stats.js';

const run$ = promisify(execFile);
const items = ['auth', 'billing', 'search', 'export'];

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

/** A small project: 40 source files of about 2 KB, committed. */
function project(): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-fan-out-'));
  mkdirSync(join(workspace, 'src'));
  for (let index = 0; index < 40; index += 1) {
    const body = Array.from({ length: 60 }, (_, line) => `export const v${index}_${line} = ${line};`).join(
      '\n',
    );
    writeFileSync(join(workspace, 'src', `module-${index}.ts`), `${body}\n`);
  }
  git(workspace, 'init', '-q');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'init');
  return workspace;
}

const plan = [
  report('planning'),
  '```json',
  JSON.stringify({
    work_items: items.map((id) => ({
      id,
      title: id,
      files: [`src/${id}.ts`, `src/${id}.test.ts`],
      depends_on: [],
      acceptance: `${id} done`,
    })),
  }),
  '```',
].join('\n');

/** One item's work: two tool turns (its module, then its test), as the lane or the single agent does them. */
const itemTurns = (id: string): ScriptedTurn[] => [
  {
    toolCalls: [
      { name: 'write', input: { path: `src/${id}.ts`, content: `export const ${id} = '${id}';\n` } },
    ],
  },
  {
    toolCalls: [
      {
        name: 'write',
        input: { path: `src/${id}.test.ts`, content: `import { ${id} } from './${id}.js';\nvoid ${id};\n` },
      },
    ],
  },
];
const done: ScriptedTurn = { text: report('implementation') };

const script: ModelScript = {
  phases: {
    planning: [{ turns: [{ text: plan }] }],
    implementation: [{ turns: [...items.flatMap(itemTurns), done] }],
    ...Object.fromEntries(
      items.map((id) => [`implementation/item-${id}`, [{ turns: [...itemTurns(id), done] }]]),
    ),
  },
};

interface Measured {
  failed?: undefined;
  wallMs: number;
  costUsd: number;
  calls: number;
  peakWorktreeKb: number;
}

/** One run of one variant; a run that did not succeed is counted and its message kept, not measured. */
async function once(fanOut: boolean, latencyMs: number): Promise<Measured | { failed: string }> {
  const workspace = project();
  const workflow = testWorkflow({
    workspace,
    phases: [
      phase('planning'),
      phase('implementation', {
        dependsOn: ['planning'],
        maxTurns: 20,
        ...(fanOut ? { fanOut: { from: 'planning', maxParallel: 4 } } : {}),
      }),
    ],
  });
  const backend = new ScriptedBackend({ script, latencyMs });
  const journal = openJournal({ workspace });
  const resolveModel = createModelResolver({
    providers: workflow.providers,
    factories: { scripted: (_p, model) => backend.model(model) },
  });
  const events: RunEvent[] = [];
  const worktrees = join(workspace, '.phasewise', 'worktrees');
  let peakWorktreeKb = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      if (existsSync(worktrees)) {
        const { stdout } = await run$('du', ['-sk', worktrees]).catch(() => ({ stdout: '0' }));
        peakWorktreeKb = Math.max(peakWorktreeKb, Number.parseInt(stdout, 10) || 0);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const outcome = await runWorkflow({
    workflow,
    journal,
    resolveModel,
    tools: createWorkspaceTools(),
    task: 'bench',
    onEvent: (event) => events.push(event),
  });
  sampling = false;
  await sampler;
  await journal.close();
  if (outcome.status !== 'succeeded')
    throw new Error(`bench run ended ${outcome.status}: ${outcome.message}`);
  for (const id of items) {
    if (!existsSync(join(workspace, 'src', `${id}.test.ts`)))
      throw new Error(`bench: ${id}'s work is missing`);
  }
  rmSync(workspace, { recursive: true, force: true });
  const start = events.find((e) => e.type === 'phase-start' && e.phaseId === 'implementation');
  const end = events.find(
    (e): e is Extract<RunEvent, { type: 'phase-end' }> =>
      e.type === 'phase-end' && e.phaseId === 'implementation',
  );
  if (start === undefined || end === undefined)
    throw new Error('bench: no phase-start/phase-end of implementation');
  const calls = backend.calls.filter((call) => call.phaseId.startsWith('implementation')).length;
  return { wallMs: Date.parse(end.at) - Date.parse(start.at), costUsd: end.costUsd, calls, peakWorktreeKb };
}

export async function fanOutBench(options: { runs: number; latencyMs: number }): Promise<string[]> {
  const a: Measured[] = [];
  const b: Measured[] = [];
  const failures: string[] = [];
  // Pairs of runs until `runs` pairs are measured (at most twice as many attempts): a failed run is reported.
  for (let attempt = 0; a.length < options.runs && attempt < options.runs * 2; attempt += 1) {
    const fanned = await once(true, options.latencyMs);
    const single = await once(false, options.latencyMs);
    if (fanned.failed !== undefined) failures.push(`A: ${fanned.failed}`);
    if (single.failed !== undefined) failures.push(`B: ${single.failed}`);
    if (fanned.failed === undefined && single.failed === undefined) {
      a.push(fanned);
      b.push(single);
    }
  }
  if (a.length === 0)
    return ['fan-out: no run succeeded', ...failures.map((failure) => `  failed ${failure}`)];
  const wallA = stats(a.map((m) => m.wallMs / 1000));
  const wallB = stats(b.map((m) => m.wallMs / 1000));
  const costA = stats(a.map((m) => m.costUsd * 1000));
  const costB = stats(b.map((m) => m.costUsd * 1000));
  const speedUp = stats(a.map((m, index) => b[index]!.wallMs / m.wallMs));
  const costRatio = stats(a.map((m, index) => m.costUsd / b[index]!.costUsd));
  const disk = stats(a.map((m) => m.peakWorktreeKb / 1024));
  return [
    `fan-out: implementation phase, ${items.length} independent items × 2 write turns, ${options.latencyMs} ms a model answer, real git repo (40 files)`,
    `  A: fan_out max_parallel 4 (${a[0]!.calls} model calls)   B: one agent (${b[0]!.calls} model calls)`,
    formatStats('  A phase wall time', wallA, 's'),
    formatStats('  B phase wall time', wallB, 's'),
    formatStats('  speed-up B ÷ A (target ≥ 2.5×)', speedUp, '×'),
    formatStats('  A phase cost', costA, 'm$', 3),
    formatStats('  B phase cost', costB, 'm$', 3),
    formatStats('  cost ratio A ÷ B (target ≤ 1.2×)', costRatio, '×'),
    formatStats('  A peak disk of .phasewise/worktrees', disk, 'MiB'),
    `  failed runs (not measured)                     ${failures.length}`,
    ...failures.map((failure) => `    ${failure.split('\n')[0]}`),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await fanOutBench({ runs: argValue('runs', 3), latencyMs: argValue('latency', 1500) });
  console.log(lines.join('\n'));
}
