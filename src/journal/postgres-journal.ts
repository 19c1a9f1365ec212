/**
 * The shared journal: runs, steps, events and run locks in a Postgres database, in their own schema
 * (`phasewise` unless told otherwise), through a connection pool of our own. Same semantics as the SQLite
 * journal (the contract suite runs against both); where SQLite relies on its single writer, each write here is
 * one transaction that locks the rows it decides on. It opens only a database already at this build's schema
 * version (`phasewise db migrate`, `migratePostgresJournal`). This class only routes calls and names failures;
 * the work is in the postgres-*.ts files.
 */

import { hostname } from 'node:os';
import type { RunEvent } from '../events/index.js';
import type {
  Journal,
  LockOptions,
  NewRun,
  RunRecord,
  RunUpdate,
  StepRecord,
  UnfinishedStep,
} from './journal.js';
import type { LedgerStore } from './ledger-store.js';
import { isProcessAlive, type LockEnvironment, type TokenHolder } from './lock-rules.js';
import type { PhaseCacheStore } from './phase-cache-store.js';
import { toJournalError } from './postgres-errors.js';
import { insertEvent, isLatestEvent, readEvents } from './postgres-events.js';
import { PostgresLedgerStore } from './postgres-ledger.js';
import { parseDatabaseUrl } from './postgres-location.js';
import { acquireRunLock, readLockHolder, releaseRunLock, requireLockHeld } from './postgres-lock.js';
import { type MigrationResult, migrateSchema, requireCurrentVersion } from './postgres-migrate.js';
import { postgresPhaseCache } from './postgres-phase-cache.js';
import { createPool, journalTables, type PostgresConnection } from './postgres-pool.js';
import {
  DEFAULT_RETRY,
  NOT_LANDED,
  REDO,
  type RetryPolicy,
  retryWhileUnreachable,
} from './postgres-retry.js';
import { type Fence, insertRun, readRun, readRuns, updateRunRecord } from './postgres-runs.js';
import { insertStarted, insertStep, readStep, readSteps, readUnfinished } from './postgres-steps.js';
import { RunEventChains } from './run-event-chains.js';

export interface OpenPostgresJournalOptions {
  /** postgresql://USER:PASSWORD@HOST:PORT/DATABASE; only its password-free form is ever shown. */
  url: string;
  /** The schema holding the tables; `phasewise` by default. */
  schema?: string;
  /** This machine's name as lock holders record it; defaults to os.hostname(). */
  hostname?: string;
  /** Whether a pid on this host still runs; defaults to a `kill(pid, 0)` probe. */
  isProcessAlive?: (pid: number) => boolean;
  /**
   * How long an open journal waits out a lost database (a restart, a failover) before an operation fails;
   * 30 s by default. Opening does not wait: an unreachable database is reported at once.
   */
  retry?: RetryPolicy;
  /**
   * The pool worker this journal writes for (its lease: `openWorkerRegistry`, `pool/lease.ts`), recorded in every
   * run lock it takes, so that once the worker's lease is gone any host may take its runs over.
   */
  workerId?: string;
}

/** Opens the journal in a database at this build's schema version. Throws JournalError if it cannot. */
export async function openPostgresJournal(options: OpenPostgresJournalOptions): Promise<PostgresJournal> {
  return PostgresJournal.open(options);
}

/**
 * Brings the database's journal schema to this build's version (creating it when there is none); safe to run
 * from several processes at once, and a no-op when already there.
 */
export async function migratePostgresJournal(
  options: Pick<OpenPostgresJournalOptions, 'url' | 'schema'>,
): Promise<MigrationResult & { location: string }> {
  const connection = await connect(options);
  try {
    const result = await guard(connection, 'migrate the journal schema', () => migrateSchema(connection));
    return { ...result, location: connection.target.location };
  } finally {
    await connection.pool.end();
  }
}

async function connect(
  options: Pick<OpenPostgresJournalOptions, 'url' | 'schema'>,
): Promise<PostgresConnection> {
  const target = parseDatabaseUrl(options.url, options.schema);
  return { target, pool: await createPool(target), tables: journalTables(target.schema) };
}

async function guard<T>(connection: PostgresConnection, doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toJournalError(connection.target, doing, error);
  }
}

export class PostgresJournal implements Journal {
  readonly location: string;
  readonly #connection: PostgresConnection;
  readonly #lockEnvironment: LockEnvironment;
  readonly #workerId: string | null;
  /** The runs whose lock this journal took, with its token: every write to them is fenced by it. */
  readonly #held = new Map<string, string>();
  /** A run's event writes in order; its step writes, updates and lock release wait for them (`appendEvent`). */
  readonly #events = new RunEventChains();
  #closed = false;

  static async open(options: OpenPostgresJournalOptions): Promise<PostgresJournal> {
    const connection = await connect(options);
    try {
      await guard(connection, 'open the journal', () => requireCurrentVersion(connection));
    } catch (error) {
      await connection.pool.end();
      throw error;
    }
    return new PostgresJournal(
      connection,
      {
        hostname: options.hostname ?? hostname(),
        isProcessAlive: options.isProcessAlive ?? isProcessAlive,
      },
      options.retry ?? DEFAULT_RETRY,
      options.workerId ?? null,
    );
  }

  readonly #retry: RetryPolicy;

  private constructor(
    connection: PostgresConnection,
    lockEnvironment: LockEnvironment,
    retry: RetryPolicy,
    workerId: string | null,
  ) {
    this.location = connection.target.location;
    this.#connection = connection;
    this.#lockEnvironment = lockEnvironment;
    this.#retry = retry;
    this.#workerId = workerId;
  }

  async createRun(run: NewRun): Promise<void> {
    await this.#guard(
      `create run ${run.runId}`,
      () => insertRun(this.#connection, run),
      async () => ((await readRun(this.#connection, run.runId)) === undefined ? NOT_LANDED : undefined),
    );
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.#guard(`read run ${runId}`, () => readRun(this.#connection, runId));
  }

  async listRuns(): Promise<RunRecord[]> {
    return this.#guard('list runs', () => readRuns(this.#connection));
  }

  async updateRun(runId: string, update: RunUpdate): Promise<void> {
    await this.#events.written(runId);
    const write = () =>
      updateRunRecord(this.#connection, runId, update, this.#fence(runId, 'update the run'));
    // Setting the same fields again is harmless: whether or not it landed, it is done once more.
    await this.#guard(`update run ${runId}`, write, REDO);
  }

  async acquireLock(runId: string, holder: TokenHolder, options: LockOptions = {}): Promise<void> {
    await this.#guard(
      `lock run ${runId}`,
      () => acquireRunLock(this.#connection, runId, holder, this.#lockEnvironment, options, this.#workerId),
      async () =>
        (await readLockHolder(this.#connection, runId))?.token === holder.token ? undefined : NOT_LANDED,
    );
    this.#held.set(runId, holder.token);
    // A new holding: the events of an earlier one, failed or not, no longer hold this run's back.
    this.#events.reset(runId);
  }

  async releaseLock(runId: string, token: string): Promise<void> {
    await this.#events.written(runId);
    await this.#guard(`release the lock of run ${runId}`, () =>
      releaseRunLock(this.#connection, runId, token),
    );
    if (this.#held.get(runId) === token) this.#held.delete(runId);
  }

  async getLockHolder(runId: string): Promise<TokenHolder | undefined> {
    return this.#guard(`read the lock of run ${runId}`, () => readLockHolder(this.#connection, runId));
  }

  async getStep(runId: string, key: string): Promise<StepRecord | undefined> {
    return this.#guard(`read step ${key} of run ${runId}`, () => readStep(this.#connection, runId, key));
  }

  async startStep(
    step: Pick<UnfinishedStep, 'runId' | 'key' | 'phaseId' | 'kind' | 'startedAt' | 'pid'>,
  ): Promise<void> {
    await this.#events.written(step.runId);
    await this.#guard(
      `mark step ${step.key} of run ${step.runId} as started`,
      () => insertStarted(this.#connection, step, this.#fence(step.runId, `execute step ${step.key}`)),
      async () => {
        const marks = await readUnfinished(this.#connection, step.runId);
        const ours = marks.some(
          (mark) => mark.key === step.key && mark.startedAt === step.startedAt && mark.pid === step.pid,
        );
        return ours ? undefined : NOT_LANDED;
      },
    );
  }

  async recordStep(step: Omit<StepRecord, 'schemaVersion' | 'reexecuted'>): Promise<void> {
    await this.#events.written(step.runId);
    await this.#guard(
      `record step ${step.key} of run ${step.runId}`,
      () => insertStep(this.#connection, step, this.#fence(step.runId, `record step ${step.key}`)),
      async () =>
        (await readStep(this.#connection, step.runId, step.key)) === undefined ? NOT_LANDED : undefined,
    );
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
   * A run's events one after another in the order of the calls (each a round trip), other runs' alongside them on
   * the pool's other connections; once one fails, the rest of the run's are refused until its lock is taken again
   * (`run-event-chains.ts`). The run's step writes, updates and lock release wait for its events in flight, so a
   * step is never stored ahead of an event appended before it.
   */
  appendEvent(event: RunEvent): Promise<void> {
    return this.#events.append(event.runId, () => this.#insertEvent(event));
  }

  async #insertEvent(event: RunEvent): Promise<void> {
    await this.#guard(
      `record a ${event.type} event of run ${event.runId}`,
      () => insertEvent(this.#connection, event, this.#fence(event.runId, `record a ${event.type} event`)),
      // A run's events are stored one after another, so the one in question is the latest if it landed.
      async () => ((await isLatestEvent(this.#connection, event)) ? undefined : NOT_LANDED),
    );
  }

  async listEvents(runId: string): Promise<RunEvent[]> {
    await this.#events.written(runId);
    return this.#guard(`list the events of run ${runId}`, () => readEvents(this.#connection, runId));
  }

  /** The run's cost ledger in this database, its reservations fenced by the run locks this journal holds. */
  ledgerStore(): LedgerStore {
    return new PostgresLedgerStore(
      this.#connection,
      (runId, doing) => this.#fence(runId, doing),
      (doing, work, landed) => this.#guard(doing, work, landed),
    );
  }

  /** The phase cache in this database, shared by every worker (`postgres-phase-cache.ts`). */
  phaseCache(): PhaseCacheStore {
    return postgresPhaseCache(this.#connection, (doing, work) => this.#guard(doing, work));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#events.allWritten();
    await this.#connection.pool.end();
  }

  /** For a write: a run whose lock this journal took must still be ours, checked inside the write's transaction. */
  #fence(runId: string, doing: string): Fence {
    const token = this.#held.get(runId);
    return async (client) => {
      if (token !== undefined) await requireLockHeld(client, this.#connection, runId, token, doing);
    };
  }

  /**
   * Waits out a lost database within the retry policy (`landed` settles a write whose COMMIT was cut off), and
   * names the database and the operation in whatever the driver throws; the journal's own errors pass through.
   */
  #guard<T>(
    doing: string,
    work: () => Promise<T>,
    landed?: () => Promise<T | typeof NOT_LANDED>,
  ): Promise<T> {
    return guard(this.#connection, doing, () => retryWhileUnreachable(work, this.#retry, landed));
  }
}
