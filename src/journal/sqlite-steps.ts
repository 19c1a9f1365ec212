/**
 * Steps in the SQLite journal: each recorded once, with its cost added to its run in the same transaction, and
 * each marked as started before it executes, so one that a crash cut off is known when it is executed again.
 */
import { JournalError } from '../errors/index.js';
import { JOURNAL_SCHEMA_VERSION, type StepRecord, type UnfinishedStep } from './journal.js';
import { type StartedRow, type StepRow, toJson, toStepRecord, toUnfinishedStep } from './journal-rows.js';
import { requireRunExists } from './sqlite-runs.js';
import type { SqliteConnection } from './sqlite-statements.js';
import { inWriteTransaction } from './sqlite-transaction.js';

type NewStep = Omit<StepRecord, 'schemaVersion' | 'reexecuted'>;
type StartingStep = Pick<UnfinishedStep, 'runId' | 'key' | 'phaseId' | 'kind' | 'startedAt' | 'pid'>;

export function readStep(
  { file, statements }: SqliteConnection,
  runId: string,
  key: string,
): StepRecord | undefined {
  const row = statements.getStep.get(runId, key);
  return row === undefined ? undefined : toStepRecord(row as unknown as StepRow, file);
}

export function readSteps({ file, statements }: SqliteConnection, runId: string): StepRecord[] {
  return statements.listSteps.all(runId).map((row) => toStepRecord(row as unknown as StepRow, file));
}

/**
 * One committed write before the step executes: if the process dies mid-step, the mark survives it. The journal
 * does not sync it on its own (the step's record, which ends it, is): a machine crash in the middle of the step
 * can lose the mark, so the step would be executed again without being flagged as re-executed — never recorded
 * twice. `fence` runs first inside the write transaction (the run lock still held; see `requireLockHeld`).
 */
export function insertStarted(connection: SqliteConnection, step: StartingStep, fence = () => {}): void {
  const { db, statements } = connection;
  inWriteTransaction(db, () => {
    fence();
    try {
      statements.upsertStarted.run({
        run_id: step.runId,
        key: step.key,
        phase_id: step.phaseId,
        kind: step.kind,
        started_at: step.startedAt,
        pid: step.pid,
      });
    } catch (error) {
      // The mark's foreign key names its run: a missing run is the likely refusal, said as such.
      requireRunExists(connection, step.runId);
      throw error;
    }
  });
}

export function readUnfinished({ file, statements }: SqliteConnection, runId: string): UnfinishedStep[] {
  return statements.listStarted.all(runId).map((row) => toUnfinishedStep(row as unknown as StartedRow, file));
}

/**
 * The step, its cost and the end of its start mark land together: the run's cost never disagrees with its
 * steps, and a step is never both recorded and unfinished, even after a crash. The write asks nothing it need
 * not: the run's existence is the cost update's row count, a key recorded before is the primary key's refusal
 * (looked up only then, to say so), and the start mark is read as it is deleted.
 */
export function insertStep(connection: SqliteConnection, step: NewStep, fence = () => {}): void {
  const { db, statements } = connection;
  inWriteTransaction(db, () => {
    fence();
    if (!Number.isFinite(step.costUsd)) {
      throw new JournalError(connection.file, `step ${step.key} has no valid cost (${step.costUsd})`, {
        runId: step.runId,
      });
    }
    if (statements.addRunCost.run(step.costUsd, step.runId).changes === 0)
      requireRunExists(connection, step.runId);
    try {
      statements.insertStep.run({
        run_id: step.runId,
        key: step.key,
        phase_id: step.phaseId,
        kind: step.kind,
        result_json: toJson(step.result),
        cost_usd: step.costUsd,
        started_at: step.startedAt,
        ended_at: step.endedAt,
        schema_version: JOURNAL_SCHEMA_VERSION,
      });
    } catch (error) {
      requireNotRecorded(connection, step);
      throw error;
    }
    const started = statements.deleteStarted.get(step.runId, step.key) as
      | Pick<StartedRow, 'executions'>
      | undefined;
    if (started !== undefined && started.executions > 1) {
      statements.insertReexecution.run(step.runId, step.key, started.executions);
    }
  });
}

/** Why a step's insert was refused, when the reason is that its key is recorded already. */
function requireNotRecorded(connection: SqliteConnection, step: NewStep): void {
  if (readStep(connection, step.runId, step.key) !== undefined) {
    throw new JournalError(
      connection.file,
      `step ${step.key} of run ${step.runId} is already recorded; recording it again would mean it ran twice`,
      { runId: step.runId, hint: 'this is a bug in phasewise; please report it' },
    );
  }
}
