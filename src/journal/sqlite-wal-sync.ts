/**
 * Syncing a WAL-mode journal after its commits. The connection commits at synchronous=NORMAL — the commit is in
 * the WAL file, in the OS's hands, and survives the process being killed — and a write that must survive a
 * machine crash (a step's record, a run update, a lock) then waits for this: an fdatasync of the WAL file, which
 * is exactly the sync synchronous=FULL does inside COMMIT (SQLite syncs the WAL with fdatasync). The caller is
 * answered only when a sync covering its commit has finished, so its run still moves on only with its record on
 * disk.
 *
 * Where the sync runs depends on who else needs the event loop meanwhile (`SyncNeighbours`):
 * - several journals syncing in this process (runs side by side): on libuv's thread pool, the event loop going
 *   on with the other runs; commits that arrive while a sync is running share the next one (group commit): one
 *   sync for every commit before it started;
 * - one journal alone (one `phasewise run`, the usual case), with no sync of the process in flight: on the event
 *   loop itself, which would only have waited for it. That saves the thread pool's two wake-ups a sync
 *   (bench/README.md, issue 21's seventh round). When most of its last `BLOCKING_WINDOW` syncs there took longer
 *   than `BLOCKING_LIMIT_MS` (a slow or busy disk), the journal's syncs go to the thread pool for
 *   `BLOCKING_PAUSE_MS`; one slow sync on a quick disk is not enough.
 *
 * A failed sync fails every write waiting for it and every write after it: once the OS has reported a lost
 * write-back, a later sync that succeeds proves nothing about the earlier pages.
 */
import { close, closeSync, fdatasync, fdatasyncSync, open, openSync } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
const closeFile = promisify(close);
const syncData = promisify(fdatasync);

/** The file operations a sync needs; injected by tests to hold or fail a sync. */
export interface SyncFileSystem {
  open(path: string): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
  /** The same operations blocking the event loop; without them every sync goes to the thread pool. */
  blocking?: {
    open(path: string): number;
    fdatasync(fd: number): void;
    close(fd: number): void;
  };
}

/** node's file system: the blocking calls included, so a journal alone may sync on the event loop. */
export const nodeFileSystem: SyncFileSystem = {
  open: (path) => openFile(path, 'r'),
  fdatasync: (fd) => syncData(fd),
  close: (fd) => closeFile(fd),
  blocking: {
    open: (path) => openSync(path, 'r'),
    fdatasync: (fd) => fdatasyncSync(fd),
    close: (fd) => closeSync(fd),
  },
};

/**
 * Syncs on the event loop longer than this (ms) — most of the last `BLOCKING_WINDOW` of them, so that one slow
 * sync on a quick disk is not enough — send the journal's syncs to the thread pool for a while.
 */
export const BLOCKING_LIMIT_MS = 2;
export const BLOCKING_WINDOW = 8;
/** How long (ms) after such a sync the journal's syncs go to the thread pool before one is tried inline again. */
export const BLOCKING_PAUSE_MS = 10_000;
/** Another journal that synced within this many ms is still running beside this one: the loop is shared. */
export const NEIGHBOUR_WINDOW_MS = 100;

/** What every journal of the process shares: who synced last, and the syncs on the thread pool now. */
export class SyncNeighbours {
  #nextId = 1;
  #lastId = 0;
  #lastAt = Number.NEGATIVE_INFINITY;
  /** When a journal other than the last one to sync last synced. */
  #otherAt = Number.NEGATIVE_INFINITY;
  /** Syncs of the process on the thread pool now. */
  inFlight = 0;
  readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  register(): number {
    const id = this.#nextId;
    this.#nextId += 1;
    return id;
  }

  /** Notes that journal `id` syncs now; answers whether another journal synced within the window. */
  noteSync(id: number, at: number): boolean {
    if (this.#lastId !== id) {
      this.#otherAt = this.#lastAt;
      this.#lastId = id;
    }
    this.#lastAt = at;
    return at - this.#otherAt < NEIGHBOUR_WINDOW_MS;
  }
}

const processNeighbours = new SyncNeighbours();

export class WalSync {
  readonly #walFile: string;
  readonly #fs: SyncFileSystem;
  readonly #neighbours: SyncNeighbours;
  readonly #id: number;
  /** Opened at the first sync: by then a commit has made sure the WAL file exists. */
  #fd: Promise<number> | undefined;
  #blockingFd: number | undefined;
  /** Until when (the neighbours' clock) this journal's syncs stay off the event loop after slow ones there. */
  #pausedUntil = Number.NEGATIVE_INFINITY;
  /** Whether each of the last syncs on the event loop (up to `BLOCKING_WINDOW`) was slow. */
  #recentSlow: boolean[] = [];
  /** The sync running now on the thread pool, if any. */
  #running: Promise<void> | undefined;
  /** The sync that starts when the running one ends, shared by every commit made meanwhile. */
  #next: Promise<void> | undefined;
  #failure: unknown;

  constructor(
    databaseFile: string,
    fileSystem: SyncFileSystem = nodeFileSystem,
    neighbours: SyncNeighbours = processNeighbours,
  ) {
    this.#walFile = `${databaseFile}-wal`;
    this.#fs = fileSystem;
    this.#neighbours = neighbours;
    this.#id = neighbours.register();
  }

  /** Resolves when everything committed on the connection before this call is on disk. */
  sync(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const now = this.#neighbours.now();
    const shared = this.#neighbours.noteSync(this.#id, now);
    if (this.#running === undefined) {
      const blocking = this.#fs.blocking;
      if (blocking !== undefined && !shared && this.#neighbours.inFlight === 0 && now >= this.#pausedUntil) {
        return this.#syncBlocking(blocking, now);
      }
      this.#running = this.#syncOnce();
      return this.#running;
    }
    // The running sync may have started before this commit: wait for it, then sync again (once for all).
    this.#next ??= this.#running.then(
      () => this.#startNext(),
      () => this.#startNext(),
    );
    return this.#next;
  }

  /** Waits for the syncs in flight (their failures are their callers'), then closes the WAL file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#next]);
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) await fd.then((handle) => this.#fs.close(handle)).catch(() => undefined);
    const blockingFd = this.#blockingFd;
    this.#blockingFd = undefined;
    if (blockingFd !== undefined) {
      try {
        this.#fs.blocking?.close(blockingFd);
      } catch {
        // Closing after a sync cannot lose anything the sync answered for.
      }
    }
  }

  #startNext(): Promise<void> {
    this.#next = undefined;
    this.#running = undefined;
    return this.sync();
  }

  #syncBlocking(blocking: NonNullable<SyncFileSystem['blocking']>, startedAt: number): Promise<void> {
    try {
      this.#blockingFd ??= blocking.open(this.#walFile);
      blocking.fdatasync(this.#blockingFd);
    } catch (error) {
      this.#failure ??= error;
      return Promise.reject(this.#failure);
    }
    this.#noteBlockingSync(this.#neighbours.now() - startedAt, startedAt);
    return Promise.resolve();
  }

  #noteBlockingSync(tookMs: number, at: number): void {
    this.#recentSlow.push(tookMs > BLOCKING_LIMIT_MS);
    if (this.#recentSlow.length > BLOCKING_WINDOW) this.#recentSlow.shift();
    if (this.#recentSlow.filter(Boolean).length > BLOCKING_WINDOW / 2) {
      this.#pausedUntil = at + BLOCKING_PAUSE_MS;
      this.#recentSlow = [];
    }
  }

  async #syncOnce(): Promise<void> {
    this.#neighbours.inFlight += 1;
    try {
      this.#fd ??= this.#fs.open(this.#walFile);
      await this.#fs.fdatasync(await this.#fd);
    } catch (error) {
      this.#failure ??= error;
      throw this.#failure;
    } finally {
      this.#neighbours.inFlight -= 1;
      if (this.#next === undefined) this.#running = undefined;
    }
  }
}
