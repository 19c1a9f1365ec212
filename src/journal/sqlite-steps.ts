/** Steps in the SQLite journal: each recorded once, with its cost added to its run in the same transaction. */
import { JournalError } from '../errors/index.js';
import { JOURNAL_SCHEMA_VERSION, type StepRecord } from './journal.js';
import { type StepRow, toJson, toStepRecord } from './sqlite-rows.js';
import { requireRun } from './sqlite-runs.js';
import type { SqliteConnection } from './sqlite-statements.js';
import { inWriteTransaction } from './sqlite-transaction.js';

type NewStep = Omit<StepRecord, 'schemaVersion'>;

export function readStep(
  { statements }: SqliteConnection,
  runId: string,
  key: string,
): StepRecord | undefined {
  const row = statements.getStep.get(runId, key);
  return row === undefined ? undefined : toStepRecord(row as unknown as StepRow);
}

export function readSteps({ statements }: SqliteConnection, runId: string): StepRecord[] {
  return statements.listSteps.all(runId).map((row) => toStepRecord(row as unknown as StepRow));
}

/** The step and its cost land together: the run's cost never disagrees with its steps, even after a crash. */
export function insertStep(connection: SqliteConnection, step: NewStep): void {
  const { db, statements } = connection;
  inWriteTransaction(db, () => {
    requireRecordable(connection, step);
    requireRun(connection, step.runId);
    statements.addRunCost.run(step.costUsd, step.runId);
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
  });
}

function requireRecordable(connection: SqliteConnection, step: NewStep): void {
  if (readStep(connection, step.runId, step.key) !== undefined) {
    throw new JournalError(
      connection.file,
      `step ${step.key} of run ${step.runId} is already recorded; recording it again would mean it ran twice`,
      { runId: step.runId, hint: 'this is a bug in phasewise; please report it' },
    );
  }
  if (!Number.isFinite(step.costUsd)) {
    throw new JournalError(connection.file, `step ${step.key} has no valid cost (${step.costUsd})`, {
      runId: step.runId,
    });
  }
}
