/**
 * Syncing a WAL-mode journal off the event loop. The connection commits at synchronous=NORMAL — the commit is in
 * the WAL file, in the OS's hands, and survives the process being killed — and a write that must survive a
 * machine crash (a step's record, a run update, a lock) then waits for this: an fdatasync of the WAL file on
 * libuv's thread pool, which is exactly the sync synchronous=FULL does inside COMMIT (SQLite syncs the WAL with
 * fdatasync), except that the event loop goes on with other runs meanwhile. The caller is answered only when the
 * sync covering its commit has finished, so its run still moves on only with its record on disk.
 *
 * Commits that arrive while a sync is running share the next one (group commit): one sync for every commit
 * before it started. A failed sync fails every write waiting for it and every write after it: once the OS has
 * reported a lost write-back, a later sync that succeeds proves nothing about the earlier pages.
 */
import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
const closeFile = promisify(close);
const syncData = promisify(fdatasync);

/** The file operations a sync needs; injected by tests to hold or fail a sync. */
export interface SyncFileSystem {
  open(path: string): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
}

const nodeFileSystem: SyncFileSystem = {
  open: (path) => openFile(path, 'r'),
  fdatasync: (fd) => syncData(fd),
  close: (fd) => closeFile(fd),
};

export class WalSync {
  readonly #walFile: string;
  readonly #fs: SyncFileSystem;
  /** Opened at the first sync: by then a commit has made sure the WAL file exists. */
  #fd: Promise<number> | undefined;
  /** The sync running now, if any. */
  #running: Promise<void> | undefined;
  /** The sync that starts when the running one ends, shared by every commit made meanwhile. */
  #next: Promise<void> | undefined;
  #failure: unknown;

  constructor(databaseFile: string, fileSystem: SyncFileSystem = nodeFileSystem) {
    this.#walFile = `${databaseFile}-wal`;
    this.#fs = fileSystem;
  }

  /** Resolves when everything committed on the connection before this call is on disk. */
  sync(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#running === undefined) {
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
  }

  #startNext(): Promise<void> {
    this.#next = undefined;
    this.#running = undefined;
    return this.sync();
  }

  async #syncOnce(): Promise<void> {
    try {
      this.#fd ??= this.#fs.open(this.#walFile);
      await this.#fs.fdatasync(await this.#fd);
    } catch (error) {
      this.#failure ??= error;
      throw this.#failure;
    } finally {
      if (this.#next === undefined) this.#running = undefined;
    }
  }
}
