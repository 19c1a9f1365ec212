/**
 * The phase cache (issue 18) on the demo workload: the demo's task through the CLI's run command and the real
 * Anthropic client against the fake LLM server (each answer after `latencyMs`), run twice on the same tree in one
 * workspace. The first run pays for every phase and stores the passed ones; the second, under the default
 * `--reuse read-only`, takes the read-only phases from the cache. Reported: each run's cost (the journal), wall
 * time and requests at the server, as medians with min and max over `runs` rounds, each round in a fresh
 * workspace and journal.
 *
 * Run alone: npx tsx bench/phase-cache.ts [--runs 3] [--latency 200]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitExample, DEMO_KEY, DEMO_KEY_ENV, demoConfig } from '../src/cli/commands/demo.js';
import { runCommand } from '../src/cli/commands/run.js';
import { openJournal } from '../src/journal/index.js';
import { loadFakeLlmScript, startFakeLlmServer } from '../src/testing/index.js';
import { argValue, formatStats, stats } from './stats.js';

const examples = join(import.meta.dirname, '..', 'examples');

interface RunFigures {
  costUsd: number;
  wallMs: number;
  requests: number;
}

export async function phaseCacheBench(options: { runs: number; latencyMs: number }): Promise<string[]> {
  const first: RunFigures[] = [];
  const second: RunFigures[] = [];
  let reused = '';
  for (let round = 0; round < options.runs; round++) {
    const pair = await oneRound(options.latencyMs);
    first.push(pair.first);
    second.push(pair.second);
    reused = pair.reused;
  }
  const row = (label: string, pick: (run: RunFigures) => number, unit: string, digits: number) => [
    formatStats(`  first run: ${label}`, stats(first.map(pick)), unit, digits),
    formatStats(`  second run: ${label}`, stats(second.map(pick)), unit, digits),
  ];
  const ratio = (pick: (run: RunFigures) => number) =>
    stats(first.map((run, index) => pick(second[index]!) / pick(run)));
  return [
    `phase cache: the demo task twice on the same tree (${options.latencyMs} ms a model answer, default --reuse read-only); reused on the second run: ${reused}`,
    ...row('cost (journal)', (run) => run.costUsd, 'USD', 4),
    ...row('wall time', (run) => run.wallMs / 1000, 's', 2),
    ...row('requests at the fake server', (run) => run.requests, '', 0),
    formatStats(
      '  second ÷ first: cost',
      ratio((run) => run.costUsd),
      '×',
      3,
    ),
    formatStats(
      '  second ÷ first: wall time',
      ratio((run) => run.wallMs),
      '×',
      3,
    ),
  ];
}

async function oneRound(
  latencyMs: number,
): Promise<{ first: RunFigures; second: RunFigures; reused: string }> {
  const server = await startFakeLlmServer({
    script: loadFakeLlmScript(join(examples, 'demo', 'script.yaml')),
    apiKey: DEMO_KEY,
    latencyMs,
  });
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-cache-'));
  const cwd = process.cwd();
  const write = process.stdout.write.bind(process.stdout);
  try {
    cpSync(join(examples, 'auth-service'), workspace, { recursive: true });
    cpSync(join(examples, 'demo', 'TASK.md'), join(workspace, 'TASK.md'));
    writeFileSync(join(workspace, 'phasewise.yaml'), demoConfig(server.anthropicBaseUrl));
    commitExample(workspace);
    process.env[DEMO_KEY_ENV] = DEMO_KEY;
    process.chdir(workspace);
    const run = async (): Promise<RunFigures> => {
      const before = server.requests.length;
      const started = performance.now();
      // The run's NDJSON events are not the figures.
      process.stdout.write = (() => true) as typeof process.stdout.write;
      const exitCode = await runCommand(undefined, { json: true });
      process.stdout.write = write;
      const wallMs = performance.now() - started;
      if (exitCode !== 0) throw new Error(`the demo run exited ${exitCode}`);
      const journal = openJournal({ workspace });
      const [latest] = await journal.listRuns();
      await journal.close();
      return { costUsd: latest!.costUsd, wallMs, requests: server.requests.length - before };
    };
    const first = await run();
    // Back to the commit: the same tree the first run started from (its journal kept).
    execFileSync('git', ['checkout', '-q', '--', '.'], { cwd: workspace });
    execFileSync('git', ['clean', '-fdq', '-e', '.phasewise'], { cwd: workspace });
    const second = await run();
    const journal = openJournal({ workspace });
    const [latest] = await journal.listRuns();
    const events = await journal.listEvents(latest!.runId);
    await journal.close();
    const reused = events
      .flatMap((event) => (event.type === 'phase-reused' ? [event.phaseId] : []))
      .join(', ');
    return { first, second, reused };
  } finally {
    process.stdout.write = write;
    process.chdir(cwd);
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await phaseCacheBench({ runs: argValue('runs', 3), latencyMs: argValue('latency', 200) });
  console.log(lines.join('\n'));
}
