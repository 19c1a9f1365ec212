/**
 * Orchestration overhead per agent step (issue 8, part 1): the same scripted workload — N phases in sequence,
 * each M model turns (M − 1 calls of a `read` tool, then the answer) — written for phasewise and idiomatically
 * for LangGraph.js, Mastra workflows and the OpenAI Agents SDK (bench/peers/*.ts), all against one fake LLM
 * server (OpenAI Chat Completions on 127.0.0.1, zero latency) hosted in this process. Each framework runs in a
 * process of its own (bench/peers/run-framework.ts): one warm-up run, then the measured runs. A step's overhead
 * is the run's wall time minus the server's own time with the run's requests (model time), divided by the
 * N × M model turns.
 *
 * Run alone: npx tsx bench/orchestration-overhead.ts [--runs 7] [--phases 5] [--turns 10] [--only phasewise,mastra]
 * The peers are installed, once, into bench/peers/node_modules by bash bench/peers/setup.sh (run here if needed).
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { existsSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlmServer } from '../src/testing/index.js';
import type { RunMessage } from './peers/run-framework.js';
import { BENCH_KEY, workloadScript } from './peers/workload.js';
import { argValue, formatStats, type Stats, stats } from './stats.js';

const peersDir = join(import.meta.dirname, 'peers');

/** Module and export index of each framework, phasewise first (the ratios are against it). */
const FRAMEWORKS: Array<[module: string, index: number]> = [
  ['phasewise', 0],
  ['langgraph', 0],
  ['langgraph', 1],
  ['mastra', 0],
  ['openai-agents', 0],
  // Ablations of phasewise (bench/peers/phasewise.ts), which show where its time goes.
  ['phasewise', 1],
  ['phasewise', 2],
];

interface FrameworkResult {
  name: string;
  durability: string;
  notes?: string;
  perStep: Stats;
  /** The framework process's CPU time per agent step (its own, not its child processes'). */
  cpuPerStep: Stats;
  wall: Stats;
  model: Stats;
  maxRssMb: number;
}

export async function orchestrationOverhead(options: {
  runs: number;
  phases: number;
  turns: number;
  /** Module names to run (default all), e.g. `['phasewise', 'mastra']`. */
  only?: string[];
}): Promise<string[]> {
  const frameworks = FRAMEWORKS.filter(([module]) => options.only?.includes(module) ?? true);
  if (frameworks.some(([module]) => module !== 'phasewise')) ensurePeersInstalled();
  const steps = options.phases * options.turns;
  const server = await startFakeLlmServer({ script: workloadScript(options), apiKey: BENCH_KEY });
  const results: FrameworkResult[] = [];
  try {
    for (const [module, index] of frameworks) {
      results.push(await measure(module, index, options, server, steps));
    }
  } finally {
    await server.close();
  }
  const base = results[0]!;
  const lines = [
    `orchestration overhead: ${options.phases} phases × ${options.turns} turns (${options.turns - 1} read calls each), ${steps} model turns a run, zero-latency fake server (OpenAI Chat Completions)`,
  ];
  for (const result of results) {
    lines.push(`  ${result.name}`);
    lines.push(formatStats('    overhead per agent step (wall − model)', result.perStep, 'ms'));
    lines.push(formatStats('    CPU time of its process per step', result.cpuPerStep, 'ms'));
    lines.push(formatStats('    wall time per run', result.wall, 'ms', 1));
    lines.push(
      `${'    model time per run (at the server)'.padEnd(48)} median ${result.model.median.toFixed(1)} ms`,
    );
    lines.push(`${'    peak RSS of its process'.padEnd(48)} ${result.maxRssMb.toFixed(0)} MB`);
    lines.push(`${'    durable state'.padEnd(48)} ${result.durability}`);
  }
  const peers = results.filter(
    (row) => !row.name.startsWith('phasewise') && !row.name.startsWith('ablation'),
  );
  if (base.name.startsWith('phasewise') && peers.length > 0) {
    lines.push('  ratios, phasewise overhead per step ÷ the peer’s (below 1: phasewise is lighter)');
    for (const result of peers) {
      lines.push(
        `    vs ${result.name.padEnd(44)} ${(base.perStep.median / result.perStep.median).toFixed(2)}×`,
      );
    }
  }
  lines.push(`  workspaces and durable stores in ${tmpdir()} (${fileSystemOf(tmpdir())})`);
  return lines;
}

/** The file system a directory is on, by its statfs magic number (a sync costs nothing on tmpfs). */
function fileSystemOf(directory: string): string {
  const names: Record<number, string> = {
    16914836: 'tmpfs',
    61267: 'ext2/3/4',
    1481003842: 'xfs',
    2435016766: 'btrfs',
    2035054128: 'overlayfs',
  };
  const type = statfsSync(directory).type;
  return names[type] ?? `file system type 0x${type.toString(16)}`;
}

function ensurePeersInstalled(): void {
  const installed = join(peersDir, 'node_modules', '.package-lock.json');
  const lock = join(peersDir, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error(
    'installing the peer frameworks into bench/peers/node_modules (once): bash bench/peers/setup.sh',
  );
  const setup = spawnSync('bash', [join(peersDir, 'setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) throw new Error('bench/peers/setup.sh failed; see its output above');
}

async function measure(
  module: string,
  index: number,
  options: { runs: number; phases: number; turns: number },
  server: Awaited<ReturnType<typeof startFakeLlmServer>>,
  steps: number,
): Promise<FrameworkResult> {
  const child = fork(
    join(peersDir, 'run-framework.ts'),
    [
      module,
      String(index),
      '--runs',
      String(options.runs),
      '--phases',
      String(options.phases),
      '--turns',
      String(options.turns),
    ],
    {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_BASE_URL: server.openaiBaseUrl },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const perStep: number[] = [];
  const cpuPerStep: number[] = [];
  const wall: number[] = [];
  const model: number[] = [];
  let mark = 0;
  let unexpected = 0;
  const done = await new Promise<RunMessage>((resolve, reject) => {
    child.on('message', (message: RunMessage) => {
      void (async () => {
        if (message.type === 'begin') {
          mark = server.requests.length;
          unexpected = server.unexpected.length;
          reply(child, 'ok');
        } else if (message.type === 'end') {
          const made = server.requests.slice(mark);
          // `servedMs` is set when each response is handed to the socket, before the client can read it; wait a
          // moment for the last one all the same rather than refuse the run.
          const deadline = Date.now() + 1000;
          while (made.some((request) => request.servedMs === undefined) && Date.now() < deadline) {
            await new Promise((settle) => setTimeout(settle, 5));
          }
          const problem =
            made.length !== steps
              ? `${made.length} model requests, expected ${steps}`
              : server.unexpected.length !== unexpected
                ? `the fake server had no answer for: ${server.unexpected.slice(unexpected, unexpected + 2).join('; ')}`
                : made.some((request) => request.servedMs === undefined || request.fault !== undefined)
                  ? 'a request was not answered in full'
                  : undefined;
          if (problem !== undefined) {
            reply(child, 'refused');
            reject(new Error(`${module}#${index}: ${problem}`));
            return;
          }
          const modelMs = made.reduce((sum, request) => sum + request.servedMs!, 0);
          wall.push(message.wallMs!);
          model.push(modelMs);
          perStep.push((message.wallMs! - modelMs) / steps);
          cpuPerStep.push(message.cpuMs! / steps);
          reply(child, 'ok');
        } else if (message.type === 'done') {
          resolve(message);
          reply(child, 'ok');
        } else if (message.type === 'failed') {
          reject(new Error(`${module}#${index} failed: ${message.error}`));
        }
      })();
    });
    child.once('exit', (code) => reject(new Error(`${module}#${index} exited ${code} before it finished`)));
  });
  const exited = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
  if (exited !== 0) throw new Error(`${module}#${index} exited ${exited}`);
  const result: FrameworkResult = {
    name: done.name!,
    durability: done.durability!,
    perStep: stats(perStep),
    cpuPerStep: stats(cpuPerStep),
    wall: stats(wall),
    model: stats(model),
    maxRssMb: (done.maxRssKb ?? 0) / 1024,
  };
  if (done.notes !== undefined) result.notes = done.notes;
  return result;
}

function reply(child: ChildProcess, type: 'ok' | 'refused'): void {
  child.send({ type });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await orchestrationOverhead({
    runs: argValue('runs', 7),
    phases: argValue('phases', 5),
    turns: argValue('turns', 10),
    ...(process.argv.includes('--only')
      ? { only: process.argv[process.argv.indexOf('--only') + 1]!.split(',') }
      : {}),
  });
  console.log(lines.join('\n'));
}
