/**
 * A WAL-mode journal commits without a sync inside COMMIT and syncs the WAL afterwards, on the thread pool or, when
 * it syncs alone, on the event loop (`sqlite-wal-sync.ts`): a synced write answers only once a sync that started after its commit has finished,
 * commits made while a sync runs share the next one, and a failed sync fails its writes and every later one.
 */
import { close, fdatasync, open, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalError } from '../../src/errors/index.js';
import { type Journal, openJournal } from '../../src/journal/index.js';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import {
  BLOCKING_LIMIT_MS,
  BLOCKING_PAUSE_MS,
  BLOCKING_WINDOW,
  NEIGHBOUR_WINDOW_MS,
  type SyncFileSystem,
  SyncNeighbours,
  WalSync,
} from '../../src/journal/sqlite-wal-sync.js';
import { sampleEvents, sampleRun, sampleStep } from './contract/samples.js';
import { type TempWorkspace, tempWorkspace } from './support/temp-workspace.js';

/** A file system whose syncs wait until the test lets them go (or fails them); counts what it was asked. */
function heldFileSystem() {
  const syncs: { release: () => void; fail: (error: Error) => void }[] = [];
  const opened: string[] = [];
  let closed = 0;
  const fileSystem: SyncFileSystem = {
    open: async (path) => {
      opened.push(path);
      return promisify(open)(path, 'r');
    },
    fdatasync: (fd) =>
      new Promise<void>((resolve, reject) => {
        syncs.push({
          release: () => promisify(fdatasync)(fd).then(resolve, reject),
          fail: reject,
        });
      }),
    close: async (fd) => {
      closed += 1;
      await promisify(close)(fd);
    },
  };
  return { fileSystem, syncs, opened, closed: () => closed };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Waits (up to 5 s: the file is opened on the thread pool) until `count` syncs have been asked for. */
async function syncsAsked(syncs: unknown[], count: number): Promise<void> {
  for (let waited = 0; syncs.length < count && waited < 5_000; waited += 5) await tick();
  expect(syncs).toHaveLength(count);
}

/** Resolves to whether `promise` settled within a few ticks. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await tick();
  return done;
}

describe('WalSync', () => {
  it('runs one sync at a time and gives every commit made during it one more sync, shared', async () => {
    const pending: (() => void)[] = [];
    const sync = new WalSync('/nowhere/journal.db', {
      open: async () => 7,
      fdatasync: () => new Promise<void>((resolve) => pending.push(resolve)),
      close: async () => {},
    });
    const first = sync.sync();
    await tick();
    const second = sync.sync();
    const third = sync.sync();
    expect(third).toBe(second);
    expect(pending).toHaveLength(1);
    pending[0]!();
    await first;
    await tick();
    expect(pending).toHaveLength(2);
    expect(await settled(second)).toBe(false);
    pending[1]!();
    await second;
    // Nothing committed since: the next write starts a sync of its own at once.
    const fourth = sync.sync();
    await tick();
    expect(pending).toHaveLength(3);
    pending[2]!();
    await fourth;
    await sync.close();
  });

  it('fails the writes waiting for a failed sync and every one after it', async () => {
    const failure = new Error('EIO: i/o error, fdatasync');
    let calls = 0;
    const sync = new WalSync('/nowhere/journal.db', {
      open: async () => 7,
      fdatasync: async () => {
        calls += 1;
        if (calls === 1) throw failure;
      },
      close: async () => {},
    });
    await expect(sync.sync()).rejects.toBe(failure);
    await expect(sync.sync()).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});

/** A file system that records where each sync ran; a blocking sync advances the clock by `blockingMs`. */
function countingFileSystem(
  clock: { now: number },
  options: { blockingMs?: () => number; failBlocking?: Error } = {},
) {
  const runs: ('blocking' | 'pool')[] = [];
  const held: (() => void)[] = [];
  const fileSystem: SyncFileSystem = {
    open: async () => 7,
    fdatasync: () =>
      new Promise<void>((resolve) => {
        runs.push('pool');
        held.push(resolve);
      }),
    close: async () => {},
    blocking: {
      open: () => 8,
      fdatasync: () => {
        runs.push('blocking');
        clock.now += options.blockingMs?.() ?? 0.1;
        if (options.failBlocking !== undefined) throw options.failBlocking;
      },
      close: () => {},
    },
  };
  return { fileSystem, runs, held };
}

describe('WalSync on the event loop or the thread pool', () => {
  it('syncs on the event loop when its journal is the only one syncing and nothing is in flight', async () => {
    const clock = { now: 0 };
    const neighbours = new SyncNeighbours(() => clock.now);
    const { fileSystem, runs } = countingFileSystem(clock);
    const sync = new WalSync('/nowhere/journal.db', fileSystem, neighbours);
    for (let commit = 0; commit < 3; commit += 1) {
      clock.now += 1;
      await sync.sync();
    }
    expect(runs).toEqual(['blocking', 'blocking', 'blocking']);
    await sync.close();
  });

  it('uses the thread pool while another journal of the process syncs, and the loop again once it stopped', async () => {
    const clock = { now: 0 };
    const neighbours = new SyncNeighbours(() => clock.now);
    const first = countingFileSystem(clock);
    const second = countingFileSystem(clock);
    const a = new WalSync('/nowhere/a.db', first.fileSystem, neighbours);
    const b = new WalSync('/nowhere/b.db', second.fileSystem, neighbours);
    await a.sync();
    clock.now += 10;
    const bSynced = b.sync();
    clock.now += 10;
    const aSynced = a.sync();
    await tick();
    expect(first.runs).toEqual(['blocking', 'pool']);
    expect(second.runs).toEqual(['pool']);
    for (const release of [...first.held, ...second.held]) release();
    await Promise.all([aSynced, bSynced]);
    // b last synced at 10: once the window has passed without it, a has the loop to itself again.
    clock.now = 10 + NEIGHBOUR_WINDOW_MS + 1;
    await a.sync();
    expect(first.runs).toEqual(['blocking', 'pool', 'blocking']);
    await Promise.all([a.close(), b.close()]);
  });

  it('does not block the loop while a sync of another journal is still on the thread pool', async () => {
    const clock = { now: 0 };
    const neighbours = new SyncNeighbours(() => clock.now);
    const other = countingFileSystem(clock);
    const mine = countingFileSystem(clock);
    const b = new WalSync('/nowhere/b.db', { ...other.fileSystem, blocking: undefined }, neighbours);
    const a = new WalSync('/nowhere/a.db', mine.fileSystem, neighbours);
    const bSynced = b.sync();
    clock.now += NEIGHBOUR_WINDOW_MS + 1;
    const aSynced = a.sync();
    await tick();
    expect(mine.runs).toEqual(['pool']);
    for (const release of [...other.held, ...mine.held]) release();
    await Promise.all([aSynced, bSynced]);
    await Promise.all([a.close(), b.close()]);
  });

  it('sends its syncs to the thread pool for a while once most of the last ones on the loop were slow', async () => {
    const clock = { now: 0 };
    const neighbours = new SyncNeighbours(() => clock.now);
    const durations = [0.3, BLOCKING_LIMIT_MS + 8, 0.4, 0.3, 0.5, 0.3, 0.4, 0.3];
    const slowSyncs = BLOCKING_WINDOW / 2 + 1;
    const slowDisk = Array.from({ length: slowSyncs }, () => BLOCKING_LIMIT_MS + 1);
    const { fileSystem, runs, held } = countingFileSystem(clock, {
      blockingMs: () => durations.shift() ?? slowDisk.shift() ?? 0.3,
    });
    const sync = new WalSync('/nowhere/journal.db', fileSystem, neighbours);
    // One slow sync among quick ones keeps the loop.
    for (let commit = 0; commit < 8; commit += 1) await sync.sync();
    expect(runs).toEqual(Array(8).fill('blocking'));
    // A disk slow most of the time does not.
    for (let commit = 0; commit < slowSyncs; commit += 1) await sync.sync();
    const pooled = sync.sync();
    await tick();
    expect(runs.slice(8)).toEqual([...Array(slowSyncs).fill('blocking'), 'pool']);
    held[0]!();
    await pooled;
    clock.now += BLOCKING_PAUSE_MS;
    await sync.sync();
    expect(runs.at(-1)).toBe('blocking');
    await sync.close();
  });

  it('fails every write after a failed sync on the loop, without syncing again', async () => {
    const clock = { now: 0 };
    const failure = new Error('EIO: i/o error, fdatasync');
    const { fileSystem, runs } = countingFileSystem(clock, { failBlocking: failure });
    const sync = new WalSync('/nowhere/journal.db', fileSystem, new SyncNeighbours(() => clock.now));
    await expect(sync.sync()).rejects.toBe(failure);
    clock.now += NEIGHBOUR_WINDOW_MS;
    await expect(sync.sync()).rejects.toBe(failure);
    expect(runs).toEqual(['blocking']);
  });

  it('answers at once with the real file system when alone: the WAL synced before the answer, no thread pool', async () => {
    const workspace = await tempWorkspace();
    try {
      const file = join(workspace.path, 'journal.db');
      writeFileSync(`${file}-wal`, 'committed pages');
      const sync = new WalSync(file, undefined, new SyncNeighbours());
      let answered = false;
      void sync.sync().then(() => {
        answered = true;
      });
      await Promise.resolve();
      expect(answered).toBe(true);
      await sync.close();
    } finally {
      await workspace.remove();
    }
  });
});

describe('SqliteJournal syncing off the event loop', () => {
  let workspace: TempWorkspace;
  let journal: Journal | undefined;
  beforeEach(async () => {
    workspace = await tempWorkspace();
  });
  afterEach(async () => {
    await journal?.close();
    journal = undefined;
    await workspace.remove();
  });

  it('commits at synchronous=NORMAL in WAL mode and answers a step only after a sync of the WAL that began after its commit', async () => {
    const held = heldFileSystem();
    journal = openJournal({ workspace: workspace.path, syncFileSystem: held.fileSystem });
    const created = journal.createRun(sampleRun('run-1'));
    await syncsAsked(held.syncs, 1);
    expect(held.opened).toEqual([`${journal.location}-wal`]);
    expect(await settled(created)).toBe(false);
    held.syncs[0]!.release();
    await created;

    // Unsynced writes (a start mark, an event) answer at once; the step's record waits for its sync.
    await journal.startStep({ ...sampleStep('run-1', 'research/a1/t1/model'), pid: process.pid });
    await journal.appendEvent(sampleEvents('run-1')[0]!);
    expect(held.syncs).toHaveLength(1);
    const recorded = journal.recordStep(sampleStep('run-1', 'research/a1/t1/model', 0.5));
    await syncsAsked(held.syncs, 2);
    // Committed (another connection reads it), not yet answered.
    const { DatabaseSync } = loadSqlite(journal.location);
    const reader = new DatabaseSync(journal.location, { readOnly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM steps').get()?.n).toBe(1);
    expect(reader.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    reader.close();
    expect(await settled(recorded)).toBe(false);

    // Two more commits while that sync runs: one more sync, after it, for both.
    const later = [
      journal.updateRun('run-1', { status: 'running', updatedAt: 'now' }),
      journal.updateRun('run-1', { status: 'running', updatedAt: 'later' }),
    ];
    await tick();
    expect(held.syncs).toHaveLength(2);
    held.syncs[1]!.release();
    await recorded;
    await syncsAsked(held.syncs, 3);
    expect(await settled(Promise.all(later))).toBe(false);
    held.syncs[2]!.release();
    await Promise.all(later);
  });

  it('stops a write whose sync failed with a JournalError naming it, and every synced write after it', async () => {
    const held = heldFileSystem();
    journal = openJournal({ workspace: workspace.path, syncFileSystem: held.fileSystem });
    const created = journal.createRun(sampleRun('run-1'));
    await syncsAsked(held.syncs, 1);
    held.syncs[0]!.fail(new Error('EIO: i/o error, fdatasync'));
    const error = await created.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JournalError);
    expect(String((error as Error).message)).toMatch(
      /could not create run run-1: syncing the journal to disk failed/,
    );
    await expect(journal.recordStep(sampleStep('run-1', 'research/a1/t1/model'))).rejects.toThrow(
      /syncing the journal to disk failed \(EIO/,
    );
    expect(held.syncs).toHaveLength(1);
  });

  it('closes after the sync in flight, which still answers its write', async () => {
    const held = heldFileSystem();
    journal = openJournal({ workspace: workspace.path, syncFileSystem: held.fileSystem });
    const created = journal.createRun(sampleRun('run-1'));
    await syncsAsked(held.syncs, 1);
    const closing = journal.close();
    expect(await settled(closing)).toBe(false);
    held.syncs[0]!.release();
    await created;
    await closing;
    expect(held.closed()).toBe(1);
    journal = undefined;
  });
});
