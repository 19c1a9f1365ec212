/**
 * The embedded journal: one SQLite file (node:sqlite, no native addon) per workspace. Every write is committed
 * before it answers, so what a method recorded survives the process being killed the moment it returns (an event
 * shares the transaction of its run's next step write, or of the other events of its tick:
 * `sqlite-event-batch.ts`); step records, run updates, locks and phase-cache entries are also synced against a
 * machine crash before they answer — on the thread pool, one sync shared by the commits waiting for it, or on the
 * event loop when this journal syncs alone in the process (`sqlite-wal-sync.ts`) — while started marks and events
 * reach the disk with the next of those. Several processes may share the file (WAL, busy_timeout), and the run
 * lock decides which one writes a run. This class only routes calls and names failures; the work is in sqlite-*.ts.
 */
import { hostname } from 'node:os';
import { JournalError } from '../errors/index.js';
import type { RunEvent } from '../events/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import type {
  Journal,
  LockOptions,
  NewRun,
  RunRecord,
  RunUpdate,
  StepRecord,
  UnfinishedStep,
} from './journal.js';
import type { PhaseCacheStore } from './phase-cache-store.js';
import { toJournalError, unusableTablesError } from './sqlite-errors.js';
import { EventBatch } from './sqlite-event-batch.js';
import { insertEvents, readEvents } from './sqlite-events.js';
import { journalFileOf, prepareJournalLocation } from './sqlite-location.js';
import {
  acquireRunLock,
  isProcessAlive,
  type LockEnvironment,
  readLockHolder,
  releaseRunLock,
  requireLockHeld,
  type TokenHolder,
} from './sqlite-lock.js';
import { openDatabase, syncsAfterCommit } from './sqlite-open.js';
import { sqlitePhaseCache } from './sqlite-phase-cache.js';
import { insertRun, readRun, readRuns, updateRunRecord } from './sqlite-runs.js';
import { type JournalStatements, prepareStatements, type SqliteConnection } from './sqlite-statements.js';
import { insertStarted, insertStep, readStep, readSteps, readUnfinished } from './sqlite-steps.js';
import { inWriteTransaction } from './sqlite-transaction.js';
import { type SyncFileSystem, WalSync } from './sqlite-wal-sync.js';

export interface OpenJournalOptions {
  /** The repository the run works in; the journal defaults to `<workspace>/.phasewise/journal.db`. */
  workspace: string;
  /** Another journal file (resolved against the current directory). */
  file?: string;
  /** Stamps the journal's creation time. */
  clock?: Clock;
  /** This machine's name as lock holders record it; defaults to os.hostname(). */
  hostname?: string;
  /** Whether a pid on this host still runs; defaults to a `kill(pid, 0)` probe. */
  isProcessAlive?: (pid: number) => boolean;
  /** Only reads (status, report): never creates, migrates a damaged file, or checkpoints it. */
  readOnly?: boolean;
  /** Refuse an empty file instead of setting a journal up in it. */
  mustExist?: boolean;
  /** How the WAL is synced after a commit; tests hold or fail a sync with it. */
  syncFileSystem?: SyncFileSystem;
}

/** Opens (creating or migrating as needed) the journal of a workspace. Throws JournalError if it is unusable. */
export function openJournal(options: OpenJournalOptions): Journal {
  return SqliteJournal.open(options);
}

export class SqliteJournal implements Journal {
  readonly location: string;
  readonly #connection: SqliteConnection;
  readonly #lockEnvironment: LockEnvironment;
  /** Syncs the WAL after a commit that must be on disk; absent, COMMIT itself syncs (not WAL) or nothing writes. */
  readonly #walSync: WalSync | undefined;
  /** The runs whose lock this journal took, with its token: every write to them is fenced by it. */
  readonly #held = new Map<string, string>();
  /** Events not yet committed: they join their run's next step write, or commit together at the tick's end. */
  readonly #events = new EventBatch((events) => this.#commitEvents(events));
  #closed = false;

  static open(options: OpenJournalOptions): SqliteJournal {
    const file =
      options.readOnly === true
        ? journalFileOf(options.workspace, options.file)
        : prepareJournalLocation(options.workspace, options.file);
    const db = openDatabase(file, options.clock ?? systemClock, {
      readOnly: options.readOnly === true,
      mustExist: options.mustExist === true,
    });
    let statements: JournalStatements;
    try {
      statements = prepareStatements(db);
    } catch (error) {
      db.close();
      throw unusableTablesError(file, error);
    }
    return new SqliteJournal(
      { file, db, statements },
      {
        hostname: options.hostname ?? hostname(),
        isProcessAlive: options.isProcessAlive ?? isProcessAlive,
      },
      options.readOnly !== true && syncsAfterCommit(db)
        ? new WalSync(file, options.syncFileSystem)
        : undefined,
    );
  }

  private constructor(
    connection: SqliteConnection,
    lockEnvironment: LockEnvironment,
    walSync: WalSync | undefined,
  ) {
    this.location = connection.file;
    this.#connection = connection;
    this.#lockEnvironment = lockEnvironment;
    this.#walSync = walSync;
  }

  async createRun(run: NewRun): Promise<void> {
    const doing = `create run ${run.runId}`;
    this.#guard(doing, () => insertRun(this.#connection, run));
    await this.#synced(doing);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.#guard(`read run ${runId}`, () => readRun(this.#connection, runId));
  }

  async listRuns(): Promise<RunRecord[]> {
    return this.#guard('list runs', () => readRuns(this.#connection));
  }

  async updateRun(runId: string, update: RunUpdate): Promise<void> {
    const doing = `update run ${runId}`;
    this.#withEvents(runId, doing, (first) =>
      updateRunRecord(this.#connection, runId, update, () => first('update the run')),
    );
    await this.#synced(doing);
  }

  async acquireLock(runId: string, holder: TokenHolder, options: LockOptions = {}): Promise<void> {
    const { db } = this.#connection;
    const doing = `lock run ${runId}`;
    this.#guard(doing, () => acquireRunLock(db, runId, holder, this.#lockEnvironment, options));
    this.#held.set(runId, holder.token);
    await this.#synced(doing);
  }

  async releaseLock(runId: string, token: string): Promise<void> {
    const doing = `release the lock of run ${runId}`;
    // Events appended while the lock was held are written under it, not after it is gone.
    this.#events.flushRun(runId);
    this.#guard(doing, () => releaseRunLock(this.#connection.db, runId, token));
    if (this.#held.get(runId) === token) this.#held.delete(runId);
    await this.#synced(doing);
  }

  async getLockHolder(runId: string): Promise<TokenHolder | undefined> {
    return this.#guard(`read the lock of run ${runId}`, () => readLockHolder(this.#connection.db, runId));
  }

  async getStep(runId: string, key: string): Promise<StepRecord | undefined> {
    return this.#guard(`read step ${key} of run ${runId}`, () => readStep(this.#connection, runId, key));
  }

  async startStep(
    step: Pick<UnfinishedStep, 'runId' | 'key' | 'phaseId' | 'kind' | 'startedAt' | 'pid'>,
  ): Promise<void> {
    this.#withEvents(step.runId, `mark step ${step.key} of run ${step.runId} as started`, (first) =>
      insertStarted(this.#connection, step, () => first(`execute step ${step.key}`)),
    );
  }

  async recordStep(step: Omit<StepRecord, 'schemaVersion' | 'reexecuted'>): Promise<void> {
    const doing = `record step ${step.key} of run ${step.runId}`;
    this.#withEvents(step.runId, doing, (first) =>
      insertStep(this.#connection, step, () => first(`record step ${step.key}`)),
    );
    await this.#synced(doing);
  }

  async listUnfinishedSteps(runId: string): Promise<UnfinishedStep[]> {
    return this.#guard(`list the unfinished steps of run ${runId}`, () =>
      readUnfinished(this.#connection, runId),
    );
  }

  async listSteps(runId: string): Promise<StepRecord[]> {
    return this.#guard(`list the steps of run ${runId}`, () => readSteps(this.#connection, runId));
  }

  /**
   * Events are progress, not paid work: committed with their run's next write or at the end of the tick
   * (`sqlite-event-batch.ts`) without a sync of their own (in WAL mode), they survive the process being killed
   * once answered; the next step's sync writes them out — a machine crash can lose only those after it.
   */
  appendEvent(event: RunEvent): Promise<void> {
    return this.#events.add(event);
  }

  async listEvents(runId: string): Promise<RunEvent[]> {
    this.#events.flush();
    return this.#guard(`list the events of run ${runId}`, () => readEvents(this.#connection, runId));
  }

  /** The phase cache in this file (`sqlite-phase-cache.ts`); a stored entry is synced before it answers. */
  phaseCache(): PhaseCacheStore {
    const cache = sqlitePhaseCache(this.#connection.db, (doing, work) => this.#guard(doing, work));
    return {
      find: (key) => cache.find(key),
      store: async (entry) => {
        await cache.store(entry);
        await this.#synced(`store phase ${entry.phaseId} of run ${entry.runId} in the phase cache`);
      },
    };
  }

  /** After the syncs in flight (a write waiting for one still gets its answer), closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#events.flush();
    await this.#walSync?.close();
    this.#connection.db.close();
  }

  /** Resolves once the commit just made is on disk (`WalSync`); a failed sync is named like a failed write. */
  async #synced(doing: string): Promise<void> {
    if (this.#walSync === undefined) return;
    try {
      await this.#walSync.sync();
    } catch (error) {
      throw new JournalError(
        this.location,
        `could not ${doing}: syncing the journal to disk failed (${describe(error)})`,
        {
          hint: 'check the disk (full, failing, or removed); the run stopped before going on without its record',
          cause: error,
        },
      );
    }
  }

  /**
   * A step write of `runId` that also commits the run's waiting events: `write` gets what its transaction runs
   * first (the fence, then those events), and the events are settled with the write.
   */
  #withEvents(runId: string, doing: string, write: (first: (fenced: string) => void) => void): void {
    const taken = this.#events.take(runId);
    let inserted = false;
    try {
      this.#guard(doing, () =>
        write((fenced) => {
          this.#fence(runId, fenced);
          insertEvents(this.#connection, taken.events);
          inserted = true;
        }),
      );
    } catch (error) {
      // The write failed, its transaction with it: the events it took go on their own, as they would have.
      this.#events.commitLeftOver(taken);
      throw error;
    }
    if (inserted) taken.committed();
    else this.#events.commitLeftOver(taken);
  }

  /** A run's events no write took: one transaction, the run's lock checked in it. */
  #commitEvents(events: readonly RunEvent[]): void {
    const runId = events[0]!.runId;
    const what = events.length === 1 ? `a ${events[0]!.type} event` : `${events.length} events`;
    this.#guard(`record ${what} of run ${runId}`, () =>
      inWriteTransaction(this.#connection.db, () => {
        this.#fence(runId, `record ${what}`);
        insertEvents(this.#connection, events);
      }),
    );
  }

  /** Inside a write: a run whose lock this journal took must still be ours (`requireLockHeld`). */
  #fence(runId: string, doing: string): void {
    const token = this.#held.get(runId);
    if (token !== undefined) requireLockHeld(this.#connection.db, runId, token, doing);
  }

  /** Names the file and the operation in whatever SQLite throws; the journal's own errors pass through. */
  #guard<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toJournalError(this.location, doing, error);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
