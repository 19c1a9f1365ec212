/**
 * Durable throughput and scale (issue 8, part 3), with the fake LLM server (OpenAI Chat Completions, zero
 * latency) in this process and phasewise in a forked one, as a model API would be elsewhere:
 *
 * - throughput: K runs at once in one phasewise process, each in a workspace of its own, each the workload of
 *   the orchestration-overhead benchmark (5 phases × 10 turns: model calls, tool calls, gates, artifacts);
 *   recorded journal steps per second of wall time, for K = 1, 10 and 50.
 * - memory: 500 runs held mid-stream — every run's second model answer stalls after its first event, so each
 *   holds an open stream, its journal, its ledger and its conversation — and the process's memory (after a full
 *   GC) against the same process before the runs started, per run.
 *
 * Run alone: npx tsx bench/durable-scale.ts [--runs 3] [--held 500] [--concurrency 1,10,50]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { openJournal } from '../src/journal/index.js';
import { type FakeLlmScript, type FakeLlmServer, startFakeLlmServer } from '../src/testing/index.js';
import { preparePhasewise } from './peers/phasewise.js';
import { BENCH_KEY, freshWorkload, removeWorkload, workloadScript } from './peers/workload.js';
import { argValue, formatStats, stats } from './stats.js';

const PHASES = 5;
const TURNS = 10;

/** The memory workload: phase 1 reads a file, then its answer stalls after the first event. */
function heldScript(): FakeLlmScript {
  const script = workloadScript({ phases: PHASES, turns: TURNS });
  const first = script.conversations[0]!;
  first.turns = [first.turns[0]!, { text: '## Handoff\nnever finished', delayMs: 3_600_000 }];
  return script;
}

type WorkerMessage =
  | { type: 'throughput'; steps: number; wallMs: number; cpuMs: number; busyMs: number }
  | {
      type: 'memory';
      rssBefore: number;
      rssHeld: number;
      heapBefore: number;
      heapHeld: number;
      settleMs: number;
    }
  | { type: 'held?' }
  | { type: 'failed'; error: string };

export async function durableScale(options: {
  runs: number;
  held: number;
  concurrency: number[];
}): Promise<string[]> {
  const lines = [
    `durable throughput: K runs at once in one process, each ${PHASES} phases × ${TURNS} turns in its own workspace, each step's record synced before its run moves on`,
  ];
  const server = await startFakeLlmServer({
    script: workloadScript({ phases: PHASES, turns: TURNS }),
    apiKey: BENCH_KEY,
  });
  try {
    for (const k of options.concurrency) {
      const rates: number[] = [];
      const cpuPerStep: number[] = [];
      const busyPerStep: number[] = [];
      let steps = 0;
      for (let run = 0; run < options.runs; run += 1) {
        const result = await worker(server, ['throughput', String(k)]);
        if (result.type !== 'throughput') throw new Error('unexpected worker answer');
        rates.push(result.steps / (result.wallMs / 1000));
        cpuPerStep.push(result.cpuMs / result.steps);
        busyPerStep.push(result.busyMs / result.steps);
        steps = result.steps;
      }
      lines.push(formatStats(`  K = ${k} (${steps} steps a round)`, stats(rates), 'steps/s', 0));
      lines.push(
        formatStats('    CPU of the phasewise process per step (all threads)', stats(cpuPerStep), 'ms', 2),
      );
      lines.push(formatStats('    its event loop busy per step (main thread)', stats(busyPerStep), 'ms', 2));
    }
  } finally {
    await server.close();
  }
  lines.push(
    `memory with ${options.held} runs held mid-stream (each: an open stream, journal, ledger, conversation)`,
  );
  const perRunRss: number[] = [];
  const perRunHeap: number[] = [];
  const settle: number[] = [];
  let absolute = '';
  for (let run = 0; run < options.runs; run += 1) {
    const held = await startFakeLlmServer({ script: heldScript(), apiKey: BENCH_KEY });
    try {
      const result = await worker(held, ['memory', String(options.held)]);
      if (result.type !== 'memory') throw new Error('unexpected worker answer');
      perRunRss.push((result.rssHeld - result.rssBefore) / options.held / 1024);
      perRunHeap.push((result.heapHeld - result.heapBefore) / options.held / 1024);
      settle.push(result.settleMs / 1000);
      absolute = `  process RSS before → held (last round)                ${(result.rssBefore / 2 ** 20).toFixed(0)} MB → ${(result.rssHeld / 2 ** 20).toFixed(0)} MB`;
    } finally {
      await held.close();
    }
  }
  lines.push(formatStats('  RSS per in-flight run', stats(perRunRss), 'KiB', 0));
  lines.push(formatStats('  JS heap per in-flight run (after a full GC)', stats(perRunHeap), 'KiB', 0));
  lines.push(formatStats(`  time to get all ${options.held} runs mid-stream`, stats(settle), 's', 1));
  lines.push(absolute);
  return lines;
}

/** Forks this file as a worker against `server`, answers its questions, and returns its result. */
function worker(server: FakeLlmServer, args: string[]): Promise<WorkerMessage> {
  const child: ChildProcess = fork(import.meta.filename, ['--worker', ...args], {
    // BENCH_CPU_PROF=<dir> profiles the phasewise process (node --cpu-prof), where the runs' time goes.
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: { ...process.env, BENCH_BASE_URL: server.openaiBaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: WorkerMessage | undefined;
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'held?') {
        // Answers whose stream is open and stalled: recorded, no usage settled yet (a held answer never ends).
        const open = server.requests.filter(
          (request) => request.turn === 2 && request.servedMs === undefined,
        );
        child.send({ held: open.length, unexpected: server.unexpected.slice(0, 2) });
      } else if (message.type === 'failed') {
        reject(new Error(`durable-scale worker failed: ${message.error}`));
      } else {
        result = message;
      }
    });
    child.once('exit', (code) =>
      result !== undefined && code === 0
        ? resolve(result)
        : reject(new Error(`durable-scale worker exited ${code}`)),
    );
  });
}

const fresh = () => freshWorkload({ phases: PHASES, turns: TURNS, baseUrl: process.env.BENCH_BASE_URL! });

async function throughputWorker(k: number): Promise<WorkerMessage> {
  // Warm-up: one run, so module loading and JIT are not counted.
  const warm = fresh();
  await preparePhasewise(warm)();
  removeWorkload(warm);
  const workloads = Array.from({ length: k }, fresh);
  const runs = workloads.map((workload) => preparePhasewise(workload));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const outcomes = await Promise.all(runs.map((run) => run()));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  const failed = outcomes.filter((outcome) => outcome.status !== 'succeeded');
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${k} runs did not succeed: ${failed[0]!.message}`);
  }
  // Counted after the clock stopped, from the journals as they are on disk.
  let steps = 0;
  for (const workload of workloads) {
    const journal = openJournal({ workspace: workload.workspace, readOnly: true });
    for (const run of await journal.listRuns()) steps += (await journal.listSteps(run.runId)).length;
    await journal.close();
    removeWorkload(workload);
  }
  return { type: 'throughput', steps, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, busyMs: loop.active };
}

function askHeld(): Promise<{ held: number; unexpected: string[] }> {
  return new Promise((resolve) => {
    process.once('message', resolve);
    process.send!({ type: 'held?' });
  });
}

async function memoryWorker(count: number): Promise<WorkerMessage> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  // Warm-up: one run held and cancelled, so every module the runs use is loaded before the baseline.
  const warmAbort = new AbortController();
  const warm = fresh();
  const warmRun = preparePhasewise(warm, { abortSignal: warmAbort.signal })();
  while ((await askHeld()).held < 1) await new Promise((resolve) => setTimeout(resolve, 50));
  warmAbort.abort();
  await warmRun;
  // The baseline is taken before the runs are even configured: what an in-flight run costs includes its
  // loaded configuration.
  gc();
  const before = process.memoryUsage();
  const workloads = Array.from({ length: count }, fresh);
  const prepared = workloads.map((workload) => preparePhasewise(workload, { abortSignal: abort.signal }));
  const started = performance.now();
  const running = prepared.map((run) => run());
  for (;;) {
    const { held, unexpected } = await askHeld();
    if (unexpected.length > 0) throw new Error(`the fake server had no answer for: ${unexpected.join('; ')}`);
    if (held >= count + 1) break;
    // Past phasewise's stall watchdog (120 s) a stalled answer would be retried and counted twice.
    if (performance.now() - started > 100_000)
      throw new Error(`only ${held - 1} of ${count} runs held after 100 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const settleMs = performance.now() - started;
  gc();
  const heldMemory = process.memoryUsage();
  abort.abort();
  await Promise.all(running);
  for (const workload of [warm, ...workloads]) removeWorkload(workload);
  return {
    type: 'memory',
    rssBefore: before.rss,
    rssHeld: heldMemory.rss,
    heapBefore: before.heapUsed,
    heapHeld: heldMemory.heapUsed,
    settleMs,
  };
}

const abort = new AbortController();

if (process.argv[2] === '--worker') {
  const [mode, n] = [process.argv[3], Number(process.argv[4])];
  (mode === 'throughput' ? throughputWorker(n) : memoryWorker(n)).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) =>
      process.send!(
        { type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        () => process.exit(1),
      ),
  );
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const concurrency = process.argv.includes('--concurrency')
    ? process.argv[process.argv.indexOf('--concurrency') + 1]!.split(',').map(Number)
    : [1, 10, 50];
  const lines = await durableScale({ runs: argValue('runs', 3), held: argValue('held', 500), concurrency });
  console.log(lines.join('\n'));
}
