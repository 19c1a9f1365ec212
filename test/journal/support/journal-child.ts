/**
 * A separate OS process for the SQLite journal tests: what must hold across processes (the lock race, a new
 * journal created by several processes at once, a step surviving SIGKILL, a quiet start) cannot be shown
 * inside one. The racing modes say `ready`, wait for `go <epoch ms>` on stdin, then act once per round at
 * go + round × interval, printing one JSON RoundOutcome per round.
 *
 *   node --import tsx journal-child.ts open <workspace>
 *   node --import tsx journal-child.ts record-then-kill <workspace> <runId> <stepKey> <costUsd>
 *   node --import tsx journal-child.ts race-lock <workspace> <rounds> <intervalMs>
 *   node --import tsx journal-child.ts race-open <directory> <rounds> <intervalMs>
 *   node --import tsx journal-child.ts race-lock <postgres URL> <rounds> <intervalMs> <schema>
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RunLockedError } from '../../../src/errors/index.js';
import { type Journal, openJournal, openPostgresJournal } from '../../../src/journal/index.js';

export interface RoundOutcome {
  round: number;
  outcome: 'ok' | 'won' | 'locked' | 'error';
  holderPid?: number;
  message?: string;
}

const [mode = '', location = '', ...rest] = process.argv.slice(2);
const [rounds, intervalMs] = [Number(rest[0]), Number(rest[1])];

if (mode === 'open') await openCreateAndClose(location);
else if (mode === 'record-then-kill') await recordThenKill(rest[0] ?? '', rest[1] ?? '', Number(rest[2]));
else if (mode === 'race-lock') await raceForLocks();
else if (mode === 'race-open')
  await inRounds((round) => attempt(round, () => openCreateAndClose(join(location, `round-${round}`))));
else throw new Error(`unknown mode ${mode}`);

async function openCreateAndClose(workspace: string): Promise<void> {
  const journal = openJournal({ workspace });
  await journal.createRun({
    runId: `from-child-${process.pid}`,
    createdAt: new Date().toISOString(),
    task: 'child task',
    workspace,
    workflow: {},
    workflowHash: 'h',
  });
  await journal.close();
  if (mode === 'open') process.stdout.write('ok\n');
}

async function recordThenKill(runId: string, key: string, costUsd: number): Promise<void> {
  const journal = openJournal({ workspace: location });
  const now = new Date().toISOString();
  await journal.recordStep({
    runId,
    key,
    phaseId: null,
    kind: 'model',
    result: { key },
    costUsd,
    startedAt: now,
    endedAt: now,
  });
  // No close, no exit handlers: the step must already be on disk.
  process.kill(process.pid, 'SIGKILL');
}

/**
 * Every round locks its own run, and nobody releases: the winner stays alive while the loser checks. The journal
 * is the workspace's SQLite one, or the Postgres one when `location` is a URL (its schema is the last argument).
 */
async function raceForLocks(): Promise<void> {
  const journal = /^postgres(ql)?:/.test(location)
    ? await openPostgresJournal({ url: location, schema: rest[2] ?? 'phasewise' })
    : openJournal({ workspace: location });
  await inRounds((round) => tryLock(journal, round));
  await journal.close();
}

async function tryLock(journal: Journal, round: number): Promise<RoundOutcome> {
  const holder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: `pid-${process.pid}`,
  };
  try {
    await journal.acquireLock(`race-${round}`, holder);
    return { round, outcome: 'won' };
  } catch (error) {
    if (error instanceof RunLockedError) return { round, outcome: 'locked', holderPid: error.holder.pid };
    return { round, outcome: 'error', message: String(error) };
  }
}

async function attempt(round: number, action: () => Promise<void>): Promise<RoundOutcome> {
  try {
    await action();
    return { round, outcome: 'ok' };
  } catch (error) {
    return { round, outcome: 'error', message: String(error) };
  }
}

async function inRounds(act: (round: number) => Promise<RoundOutcome>): Promise<void> {
  process.stdout.write('ready\n');
  const startAt = await readStartTime();
  for (let round = 0; round < rounds; round += 1) {
    waitUntil(startAt + round * intervalMs);
    process.stdout.write(`${JSON.stringify(await act(round))}\n`);
  }
}

async function readStartTime(): Promise<number> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const match = /^go (\d+)$/.exec(line.trim());
    if (match) {
      lines.close();
      return Number(match[1]);
    }
  }
  throw new Error('stdin closed before "go"');
}

/** Sleeps, then spins the last 2 ms: racers must reach the contested call within a fraction of a millisecond. */
function waitUntil(time: number): void {
  const remaining = time - Date.now() - 2;
  if (remaining > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, remaining);
  while (Date.now() < time) {
    // spinning on purpose
  }
}
