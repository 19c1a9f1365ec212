/**
 * What one call of a workspace tool costs in phasewise's process, with the redactor a run builds: the `read` tool
 * (the orchestration-overhead workload's only tool) on examples/auth-service's files, as the peer workload calls
 * it, and the `list` tool on a folder of 500 files (its walk is a ripgrep process; each file shown is then
 * sized). Reported per call: wall time and the process's CPU, medians over rounds.
 *
 * Run alone: npx tsx bench/tool-call.ts [--calls 2000] [--rounds 5]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tool } from '../src/tools/tool.js';
import { createWorkspaceTools } from '../src/tools/workspace-tools.js';
import { createRedactor } from '../src/util/redact.js';
import { argValue, formatStats, stats } from './stats.js';

const FILES = ['src/auth.js', 'src/server.js', 'src/session-store.js', 'test/auth.test.js', 'package.json'];
const LISTED_FILES = 500;

export async function toolCallBench(options: { calls: number; rounds: number }): Promise<string[]> {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-tool-'));
  cpSync(join(import.meta.dirname, '..', 'examples', 'auth-service'), workspace, { recursive: true });
  mkdirSync(join(workspace, 'many'));
  for (let index = 0; index < LISTED_FILES; index++) {
    writeFileSync(join(workspace, 'many', `file-${index}.txt`), `${index}\n`);
  }
  try {
    const tools = createWorkspaceTools({
      outputLimitBytes: 50_000,
      redactor: createRedactor({ env: process.env, workspace, extraSecrets: ['bench-key-0123456789'] }),
    });
    const read = await perCall(tools, workspace, 'read', options, (index) => ({
      path: FILES[index % FILES.length],
      offset: 1,
    }));
    const listCalls = Math.max(1, Math.round(options.calls / 20));
    const list = await perCall(tools, workspace, 'list', { ...options, calls: listCalls }, () => ({
      path: 'many',
    }));
    return [
      `one call of the read tool (examples/auth-service's files, redacted; ${options.calls} calls a round)`,
      formatStats('  wall per call', stats(read.wall), 'µs', 0),
      formatStats('  CPU per call (the process, all threads)', stats(read.cpu), 'µs', 0),
      `one call of the list tool (a folder of ${LISTED_FILES} files; ${listCalls} calls a round)`,
      formatStats('  wall per call', stats(list.wall), 'µs', 0),
      formatStats('  CPU per call (the process, all threads)', stats(list.cpu), 'µs', 0),
    ];
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Microseconds per call of `name`, wall and CPU, one figure a round, after a warm-up of a tenth of a round. */
async function perCall(
  tools: readonly Tool[],
  workspace: string,
  name: string,
  options: { calls: number; rounds: number },
  input: (index: number) => unknown,
): Promise<{ wall: number[]; cpu: number[] }> {
  const tool = tools.find((candidate) => candidate.name === name)!;
  const context = { workspace, abortSignal: new AbortController().signal };
  const call = async (index: number) => {
    const result = await tool.execute(input(index), context);
    if (result.isError) throw new Error(`${name} failed: ${result.output}`);
  };
  for (let index = 0; index < Math.ceil(options.calls / 10); index++) await call(index);
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
  return { wall, cpu };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await toolCallBench({ calls: argValue('calls', 2000), rounds: argValue('rounds', 5) });
  console.log(lines.join('\n'));
}
