/**
 * CLI cold start: wall time of a fresh process for `--version` and for `validate` of the built-in workflow,
 * measured from spawn to exit; and for `run`, from spawn to the first request the fake LLM server receives
 * (configuration, model checks, journal, snapshot and prompt assembly all done). Needs the build.
 *
 * Run alone: npx tsx bench/cli-cold-start.ts [--runs 15]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startFakeLlmServer } from '../src/testing/index.js';
import { argValue, formatStats, stats } from './stats.js';

const bin = join(import.meta.dirname, '..', 'dist', 'cli', 'bin.js');

/** What `phasewise` is, as node's arguments before the command's: the built entry, unless a bench says otherwise. */
export const builtCli = [bin];

export function timeCommand(
  args: string[],
  cwd: string,
  runs: number,
  launch = builtCli,
  env: NodeJS.ProcessEnv = process.env,
) {
  const samples: number[] = [];
  for (let run = 0; run < runs + 1; run += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [...launch, ...args], { cwd, env, encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (result.status !== 0)
      throw new Error(`node ${[...launch, ...args].join(' ')} exited ${result.status}: ${result.stderr}`);
    if (run > 0) samples.push(elapsed); // the first run warms the file cache
  }
  return stats(samples);
}

/** Spawn `phasewise run` on a workspace whose models are the fake server's; time until its first request. */
export async function timeToFirstRequest(runs: number, launch = builtCli) {
  const samples: number[] = [];
  for (let run = 0; run < runs + 1; run += 1) {
    const server = await startFakeLlmServer({
      apiKey: 'bench-key-0123456789',
      script: { conversations: [{ name: 'any', match: [], turns: [{ text: 'x', delayMs: 60_000 }] }] },
    });
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-run-'));
    writeFileSync(
      join(workspace, 'phasewise.yaml'),
      `version: 1
task: Add a health endpoint
models:
  tiers: [haiku, sonnet, opus]
  haiku: fake:claude-haiku-4-5
  sonnet: fake:claude-sonnet-4-5
  opus: fake:claude-opus-4-5
  providers:
    fake: { kind: anthropic, base_url: "${server.anthropicBaseUrl}", api_key_env: BENCH_KEY }
`,
    );
    const started = Date.now();
    const child = spawn(process.execPath, [...launch, 'run', '--json'], {
      cwd: workspace,
      env: { ...process.env, BENCH_KEY: 'bench-key-0123456789' },
      stdio: 'ignore',
    });
    while (server.requests.length === 0 && child.exitCode === null) await delay(1);
    child.kill('SIGKILL');
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
    const first = server.requests[0];
    if (first === undefined) throw new Error('phasewise run exited before its first request');
    if (run > 0) samples.push(first.at - started); // the first run warms the file cache
  }
  return stats(samples);
}

export async function cliColdStart(options: { runs: number }): Promise<string[]> {
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run scripts/setup.sh first');
  const empty = mkdtempSync(join(tmpdir(), 'phasewise-bench-'));
  const baseline = stats(
    Array.from({ length: options.runs }, () => {
      const started = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return performance.now() - started;
    }),
  );
  return [
    `CLI cold start (spawn to exit, Node ${process.versions.node})`,
    formatStats('  node -e 0 (Node itself, for reference)', baseline, 'ms', 1),
    formatStats('  phasewise --version', timeCommand(['--version'], empty, options.runs), 'ms', 1),
    formatStats(
      '  phasewise validate (built-in workflow)',
      timeCommand(['validate'], empty, options.runs),
      'ms',
      1,
    ),
    formatStats(
      '  phasewise run, spawn to first request at server',
      await timeToFirstRequest(options.runs),
      'ms',
      1,
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await cliColdStart({ runs: argValue('runs', 15) })).join('\n'));
}
