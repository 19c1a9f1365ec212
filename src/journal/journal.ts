/**
 * The journal contract: durable run state. The orchestrator only sees this interface (and `DurableSteps` built
 * on it), so the embedded SQLite journal and a later Postgres/DBOS one are interchangeable (STYLE §11). Every
 * answer is a Promise, as a database round trip's is; a call is done (durable, for a write) when it resolves.
 *
 * Everything stored is plain JSON. The journal never interprets a run's workflow or a step's result: it keeps
 * them, returns them, and guards who may write a run (the lock).
 */
import type { LockHolder } from '../errors/index.js';
import type { RunEvent, RunStatus } from '../events/index.js';
import type { LedgerStore } from './ledger-store.js';
import type { PhaseCacheStore } from './phase-cache-store.js';
import type { StepKind } from './step-kinds.js';

/** The journal's on-disk schema version; a journal written by another version is refused or migrated. */
export const JOURNAL_SCHEMA_VERSION = 3;
/** Versions this build can read. */
export const SUPPORTED_JOURNAL_VERSIONS: readonly number[] = [1, 2, 3];

export interface NewRun {
  runId: string;
  /** ISO time. */
  createdAt: string;
  task: string;
  workspace: string;
  /** The resolved workflow the run executes, as plain JSON (the orchestrator owns its shape). */
  workflow: unknown;
  /** sha256 of the workflow's stable JSON; resume compares it. */
  workflowHash: string;
}

export interface RunRecord extends NewRun {
  status: RunStatus;
  updatedAt: string;
  endedAt: string | null;
  exitCode: number | null;
  /** Sum of the cost of every recorded step. */
  costUsd: number;
  message: string | null;
}

export interface RunUpdate {
  status: RunStatus;
  updatedAt: string;
  endedAt?: string | null;
  exitCode?: number | null;
  message?: string | null;
  /** Replace the stored workflow (a forced resume with a changed configuration). */
  workflow?: unknown;
  workflowHash?: string;
}

/** One completed step: its result is what a resume returns instead of executing it again. */
export interface StepRecord {
  runId: string;
  /** Unique within the run, e.g. `research/a1/t3/model`. */
  key: string;
  phaseId: string | null;
  /** Stored as text; a kind this build does not know is a `JournalError` when read. */
  kind: StepKind;
  /** JSON-serializable. */
  result: unknown;
  /** Money this step cost (0 for free steps). */
  costUsd: number;
  startedAt: string;
  endedAt: string;
  /** The journal schema version the record was written with. */
  schemaVersion: number;
  /**
   * Present when the step was executed more than once: an earlier execution started (see `startStep`) and never
   * recorded a result — the process was killed or interrupted mid-step — so its effects may have happened twice.
   */
  reexecuted?: true;
}

/** A step that started executing and has recorded no result yet: in flight, or cut off by a crash. */
export interface UnfinishedStep {
  runId: string;
  key: string;
  phaseId: string | null;
  kind: StepKind;
  /** ISO time of the latest start. */
  startedAt: string;
  /** The process that started it last. */
  pid: number;
  /** How many times it has started (more than 1: it was cut off and started again). */
  executions: number;
}

export interface LockOptions {
  /**
   * Take the run even from a holder that cannot be proven gone (another host, a reused pid) — the person asking
   * has checked that it is. Never done without being asked.
   */
  breakLock?: boolean;
}

export interface Journal {
  /** Where it lives (a file path, a connection string without secrets). */
  readonly location: string;

  createRun(run: NewRun): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(): Promise<RunRecord[]>;
  updateRun(runId: string, update: RunUpdate): Promise<void>;

  /**
   * Take the run for this process. Throws `RunLockedError` naming the holder when another live process holds
   * it; a holder that is dead (same host, pid gone) is taken over. Atomic across processes.
   */
  acquireLock(runId: string, holder: LockHolder & { token: string }, options?: LockOptions): Promise<void>;
  /** Release only if `token` still holds it. */
  releaseLock(runId: string, token: string): Promise<void>;
  getLockHolder(runId: string): Promise<(LockHolder & { token: string }) | undefined>;

  getStep(runId: string, key: string): Promise<StepRecord | undefined>;
  /**
   * Marks a step as started before it executes (durable when it returns), so that a resumed run executing it
   * again knows the earlier execution was cut off. Starting an unfinished step again counts one more execution.
   */
  startStep(
    step: Pick<UnfinishedStep, 'runId' | 'key' | 'phaseId' | 'kind' | 'startedAt' | 'pid'>,
  ): Promise<void>;
  /**
   * Durable when it returns. Recording a key twice throws. Also adds `costUsd` to the run's cost, clears the
   * step's start mark, and records it as `reexecuted` when it had started more than once.
   */
  recordStep(step: Omit<StepRecord, 'schemaVersion' | 'reexecuted'>): Promise<void>;
  /** Steps started and not recorded, oldest start first: after a crash, what the run was doing. */
  listUnfinishedSteps(runId: string): Promise<UnfinishedStep[]>;
  /** In recording order. */
  listSteps(runId: string): Promise<StepRecord[]>;

  /**
   * Resolves once the event is committed. A run's events land in the order of the calls, whether or not the
   * caller waited for the one before (the run's emitter does not).
   */
  appendEvent(event: RunEvent): Promise<void>;
  /** In order of appending. */
  listEvents(runId: string): Promise<RunEvent[]>;

  /**
   * Where the run's cost ledger lives when several processes may spend from one run (the Postgres journal);
   * absent, each run's ledger is in its process's memory (the SQLite journal).
   */
  ledgerStore?(): LedgerStore;

  /**
   * Passed phases' results by the hash of their inputs (`phase-cache-store.ts`), shared by every run of this
   * journal; absent, nothing is reused.
   */
  phaseCache?(): PhaseCacheStore;

  close(): Promise<void>;
}
