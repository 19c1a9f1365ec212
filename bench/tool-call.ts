/**
 * What one call of a workspace tool costs in phasewise's process, with the redactor a run builds: the `read` tool
 * (the orchestration-overhead workload's only tool) on examples/auth-service's files, as the peer workload calls
 * it, and the `list` tool on a folder of 500 files (its walk is a ripgrep process; each file shown is then
 * sized); and beside them the snapshot an attempt takes of a plain (not git) workspace, here of 2,000 small files
 * (listed in process, each file hashed). Reported per call: wall time and the process's CPU, medians over rounds.
 *
 * Run alone: npx tsx bench/tool-call.ts [--calls 2000] [--rounds 5]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tool } from '../src/tools/tool.js';
import { snapshotWorkspace } from '../src/tools/workspace-snapshot.js';
import { createWorkspaceTools } from '../src/tools/workspace-tools.js';
import { createRedactor } from '../src/util/redact.js';
import { argValue, formatStats, stats } from './stats.js';

const FILES = ['src/auth.js', 'src/server.js', 'src/session-store.js', 'test/auth.test.js', 'package.json'];
const LISTED_FILES = 500;
const SNAPSHOT_FILES = 2_000;

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
    const plain = mkdtempSync(join(tmpdir(), 'phasewise-bench-snapshot-'));
    for (let index = 0; index < SNAPSHOT_FILES; index++) {
      const folder = join(plain, `d${index % 20}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `file-${index}.js`), `export const n${index} = ${index};\n`.repeat(20));
    }
    const snapshotCalls = Math.max(1, Math.round(options.calls / 100));
    const snapshot = await timed({ ...options, calls: snapshotCalls }, async () => {
      const taken = await snapshotWorkspace(plain);
      if (taken.kind !== 'files' || Object.keys(taken.files).length !== SNAPSHOT_FILES) {
        throw new Error(`the snapshot of ${plain} is not of its ${SNAPSHOT_FILES} files`);
      }
    }).finally(() => rmSync(plain, { recursive: true, force: true }));
    return [
      `one call of the read tool (examples/auth-service's files, redacted; ${options.calls} calls a round)`,
      formatStats('  wall per call', stats(read.wall), 'µs', 0),
      formatStats('  CPU per call (the process, all threads)', stats(read.cpu), 'µs', 0),
      `one call of the list tool (a folder of ${LISTED_FILES} files; ${listCalls} calls a round)`,
      formatStats('  wall per call', stats(list.wall), 'µs', 0),
      formatStats('  CPU per call (the process, all threads)', stats(list.cpu), 'µs', 0),
      `one snapshot of a plain workspace (${SNAPSHOT_FILES} files of 20 lines; ${snapshotCalls} a round)`,
      formatStats('  wall per snapshot', stats(snapshot.wall), 'µs', 0),
      formatStats('  CPU per snapshot (the process, all threads)', stats(snapshot.cpu), 'µs', 0),
    ];
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** `timed` for one tool, called with `input(0)`, `input(1)`, ... */
async function perCall(
  tools: readonly Tool[],
  workspace: string,
  name: string,
  options: { calls: number; rounds: number },
  input: (index: number) => unknown,
): Promise<{ wall: number[]; cpu: number[] }> {
  const tool = tools.find((candidate) => candidate.name === name)!;
  const context = { workspace, abortSignal: new AbortController().signal };
  let index = 0;
  return timed(options, async () => {
    const result = await tool.execute(input(index++), context);
    if (result.isError) throw new Error(`${name} failed: ${result.output}`);
  });
}

/** Microseconds per call of `call`, wall and CPU, one figure a round, after a warm-up of a tenth of a round. */
async function timed(
  options: { calls: number; rounds: number },
  call: () => Promise<void>,
): Promise<{ wall: number[]; cpu: number[] }> {
  for (let index = 0; index < Math.ceil(options.calls / 10); index++) await call();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    for (let index = 0; index < options.calls; index++) await call();
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
