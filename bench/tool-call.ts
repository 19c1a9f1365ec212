/**
 * What one call of a workspace tool costs in phasewise's process: the `read` tool (the orchestration-overhead
 * workload's only tool) called on examples/auth-service's files, as the peer workload calls it, with the
 * redactor a run builds. Reported per call: wall time and the process's CPU, medians over rounds.
 *
 * Run alone: npx tsx bench/tool-call.ts [--calls 2000] [--rounds 5]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadTool } from '../src/tools/read-tool.js';
import { createRedactor } from '../src/util/redact.js';
import { argValue, formatStats, stats } from './stats.js';

const FILES = ['src/auth.js', 'src/server.js', 'src/session-store.js', 'test/auth.test.js', 'package.json'];

export async function toolCallBench(options: { calls: number; rounds: number }): Promise<string[]> {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-tool-'));
  cpSync(join(import.meta.dirname, '..', 'examples', 'auth-service'), workspace, { recursive: true });
  try {
    const tool = createReadTool({
      outputLimitBytes: 50_000,
      redactor: createRedactor({ env: process.env, workspace, extraSecrets: ['bench-key-0123456789'] }),
      afterPathCheck: undefined,
    });
    const context = { workspace, abortSignal: new AbortController().signal };
    const call = async (index: number) => {
      const result = await tool.execute({ path: FILES[index % FILES.length], offset: 1 }, context);
      if (result.isError) throw new Error(`read failed: ${result.output}`);
    };
    for (let index = 0; index < 200; index++) await call(index);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const startCpu = process.cpuUsage();
      const start = performance.now();
      for (let index = 0; index < options.calls; index++) await call(index);
      wall.push(((performance.now() - start) * 1000) / options.calls);
      const used = process.cpuUsage(startCpu);
      cpu.push((used.user + used.system) / options.calls);
    }
    return [
      `one call of the read tool (examples/auth-service's files, redacted; ${options.calls} calls a round)`,
      formatStats('  wall per call', stats(wall), 'µs', 0),
      formatStats('  CPU per call', stats(cpu), 'µs', 0),
    ];
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await toolCallBench({ calls: argValue('calls', 2000), rounds: argValue('rounds', 5) });
  console.log(lines.join('\n'));
}
