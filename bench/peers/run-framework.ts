/**
 * One framework's runs of the workload, in a process of its own (forked by bench/orchestration-overhead.ts, which
 * hosts the fake LLM server in the parent process, so the server's work never shares this event loop). Before
 * each run it asks the parent to mark the server's request log and waits for the answer; after it, it reports
 * the run's wall time, and the parent adds the server's own time with the run's requests.
 *
 * Alone, for trying a framework module: npx tsx bench/peers/run-framework.ts <module> [index] --alone
 * (starts the fake server in this process instead, and prints each run's wall time and request count).
 */
import { startFakeLlmServer } from '../../src/testing/index.js';
import { argValue } from '../stats.js';
import { BENCH_KEY, type FrameworkBench, freshWorkload, removeWorkload, workloadScript } from './workload.js';

export interface RunMessage {
  type: 'begin' | 'end' | 'failed' | 'done';
  wallMs?: number;
  /** The run's CPU time in this process (user + system), ms (`end`). */
  cpuMs?: number;
  error?: string;
  name?: string;
  durability?: string;
  notes?: string;
  /** The process's peak resident set size, KiB (`done`). */
  maxRssKb?: number;
}

/** The benches a module offers: its `benches` array, or its `bench`. */
async function loadBench(module: string, index: number): Promise<FrameworkBench> {
  const loaded = (await import(`./${module}.js`)) as { benches?: FrameworkBench[]; bench?: FrameworkBench };
  const bench = loaded.benches?.[index] ?? (index === 0 ? loaded.bench : undefined);
  if (bench === undefined) throw new Error(`bench/peers/${module}.ts exports no bench #${index}`);
  return bench;
}

function ask(message: RunMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.once('message', (reply: { type: string }) =>
      reply.type === 'ok' ? resolve() : reject(new Error(`the harness refused: ${JSON.stringify(reply)}`)),
    );
    process.send!(message);
  });
}

async function main(): Promise<void> {
  const module = process.argv[2]!;
  const index = Number(process.argv[3] ?? 0) || 0;
  const alone = process.argv.includes('--alone');
  const runs = argValue('runs', alone ? 3 : 7);
  const phases = argValue('phases', 5);
  const turns = argValue('turns', 10);
  const bench = await loadBench(module, index);
  const server = alone
    ? await startFakeLlmServer({ script: workloadScript({ phases, turns }), apiKey: BENCH_KEY })
    : undefined;
  const baseUrl = server?.openaiBaseUrl ?? process.env.BENCH_BASE_URL!;
  // One warm-up run (module loading, JIT), not measured.
  for (let run = -1; run < runs; run += 1) {
    const workload = freshWorkload({ phases, turns, baseUrl });
    try {
      const execute = await bench.prepare(workload);
      const before = server?.requests.length ?? 0;
      if (!alone && run >= 0) await ask({ type: 'begin' });
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      await execute();
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (alone) {
        const made = server!.requests.slice(before);
        const modelMs = made.reduce((sum, request) => sum + (request.servedMs ?? 0), 0);
        console.log(
          `${bench.name}: run ${run < 0 ? 'warm-up' : run + 1}: ${wallMs.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU, ${made.length} requests, ${modelMs.toFixed(1)} ms at the server, unexpected: ${server!.unexpected.length}`,
        );
        if (server!.unexpected.length > 0) console.log(server!.unexpected.slice(0, 3).join('\n'));
      } else if (run >= 0) {
        await ask({ type: 'end', wallMs, cpuMs });
      }
    } finally {
      removeWorkload(workload);
    }
  }
  await server?.close();
  if (!alone) {
    const done: RunMessage = {
      type: 'done',
      name: bench.name,
      durability: bench.durability,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    if (bench.notes !== undefined) done.notes = bench.notes;
    await ask(done);
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  void main().then(
    () => process.exit(0),
    (error: unknown) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (process.send !== undefined) process.send({ type: 'failed', error: text }, () => process.exit(1));
      else {
        console.error(text);
        process.exit(1);
      }
    },
  );
