/**
 * What one journal step costs the SQLite journal alone: its start mark and its synced record (two transactions
 * and one fdatasync of the WAL), on one run's journal in this process. Four ways, alternating round by round:
 * - the journal as shipped, in the temporary directory: syncing alone in the process, it syncs on the event loop;
 * - the same, its syncs always on libuv's thread pool (what it does while other journals of the process sync);
 * - the journal as shipped on /dev/shm (tmpfs), where a sync costs nothing: SQLite's own work, for the breakdown;
 * - as shipped, with 2 ms of other work on the event loop between steps, as an agent step has (its model call,
 *   tools, prompt): a virtual disk may answer a sync after such a pause slower than one right after another.
 * Reported per step, the journal's calls only: wall time and the process's CPU (all threads), medians over rounds.
 *
 * Run alone: npx tsx bench/journal-write.ts [--steps 2000] [--rounds 5]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../src/journal/index.js';
import { nodeFileSystem, type SyncFileSystem } from '../src/journal/sqlite-wal-sync.js';
import { argValue, formatStats, stats } from './stats.js';

/** node's file system without the blocking calls: every sync goes to the thread pool. */
const threadPoolOnly: SyncFileSystem = { ...nodeFileSystem, blocking: undefined };

interface Way {
  label: string;
  directory: string;
  syncFileSystem?: SyncFileSystem;
  /** Work on the event loop between steps (a busy wait), left out of the figures. */
  gapMs?: number;
}

/** A model step's result of the peer workload's size: an answer with one tool call and its usage. */
const RESULT = {
  text: 'Reading the session store next. '.repeat(20),
  toolCalls: [{ id: 'call-1', name: 'read', input: { path: 'src/session-store.js', offset: 1 } }],
  usage: { inputTokens: 2_400, outputTokens: 60 },
};

export async function journalWriteBench(options: { steps: number; rounds: number }): Promise<string[]> {
  const ways: Way[] = [
    { label: 'as shipped (one run: synced on the event loop)', directory: tmpdir() },
    { label: 'synced on the thread pool', directory: tmpdir(), syncFileSystem: threadPoolOnly },
  ];
  if (existsSync('/dev/shm')) ways.push({ label: 'on tmpfs (a sync costs nothing)', directory: '/dev/shm' });
  ways.push({ label: 'as shipped, 2 ms of other work between steps', directory: tmpdir(), gapMs: 2 });
  const samples = ways.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const [index, way] of ways.entries()) {
      const measured = await perStep(way, options.steps);
      samples[index]!.wall.push(measured.wall);
      samples[index]!.cpu.push(measured.cpu);
    }
  }
  return [
    `one journal step (start mark, then the record synced), SQLite, ${options.steps} steps a round`,
    ...ways.flatMap((way, index) => [
      `  ${way.label}`,
      formatStats('    wall per step', stats(samples[index]!.wall), 'µs', 0),
      formatStats('    CPU per step (the process, all threads)', stats(samples[index]!.cpu), 'µs', 0),
    ]),
  ];
}

async function perStep(way: Way, steps: number): Promise<{ wall: number; cpu: number }> {
  const workspace = mkdtempSync(join(way.directory, 'phasewise-bench-journal-'));
  const journal = openJournal({
    workspace,
    ...(way.syncFileSystem === undefined ? {} : { syncFileSystem: way.syncFileSystem }),
  });
  try {
    const runId = 'bench-run';
    const now = () => new Date().toISOString();
    await journal.createRun({
      runId,
      createdAt: now(),
      task: 'bench',
      workspace,
      workflow: {},
      workflowHash: 'h',
    });
    await journal.acquireLock(runId, { token: 'bench', pid: process.pid, host: 'bench', since: now() });
    let wall = 0;
    let cpu = 0;
    for (let index = 0; index < steps; index += 1) {
      if (way.gapMs !== undefined) busyWait(way.gapMs);
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const key = `implementation/a1/t${index}/model`;
      const startedAt = now();
      const step = { runId, key, phaseId: 'implementation', kind: 'model' as const, startedAt };
      await journal.startStep({ ...step, pid: process.pid });
      await journal.recordStep({ ...step, result: RESULT, costUsd: 0.001, endedAt: now() });
      wall += performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      cpu += used.user + used.system;
    }
    return { wall: (wall * 1000) / steps, cpu: cpu / steps };
  } finally {
    await journal.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // the rest of an agent step, on the event loop
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    (await journalWriteBench({ steps: argValue('steps', 2000), rounds: argValue('rounds', 5) })).join('\n'),
  );
}
