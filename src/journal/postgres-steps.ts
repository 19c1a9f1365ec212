/**
 * Steps in the Postgres journal, with the SQLite journal's semantics: each key recorded once per run, its cost
 * added to the run and its start mark cleared in the same transaction, and a step that had started more than
 * once recorded as re-executed. Start marks commit without waiting for the WAL flush (the step's record does).
 */
import { JournalError } from '../errors/index.js';
import { JOURNAL_SCHEMA_VERSION, type StepRecord, type UnfinishedStep } from './journal.js';
import { type StartedRow, type StepRow, toJson, toStepRecord, toUnfinishedStep } from './journal-rows.js';
import { errorCode } from './postgres-errors.js';
import { inTransaction, type PostgresConnection } from './postgres-pool.js';
import { type Fence, lockRunRow } from './postgres-runs.js';

type NewStep = Omit<StepRecord, 'schemaVersion' | 'reexecuted'>;
type StartingStep = Pick<UnfinishedStep, 'runId' | 'key' | 'phaseId' | 'kind' | 'startedAt' | 'pid'>;

const STEP_SELECT = (t: PostgresConnection['tables']) => `
  SELECT s.run_id, s.key, s.phase_id, s.kind, s.result_json, s.cost_usd, s.started_at, s.ended_at,
         s.schema_version, r.executions
  FROM ${t.steps} s LEFT JOIN ${t.reexecutions} r USING (run_id, key)`;
const STARTED_COLUMNS = 'run_id, key, phase_id, kind, started_at, pid, executions';

export async function readStep(
  connection: PostgresConnection,
  runId: string,
  key: string,
): Promise<StepRecord | undefined> {
  const result = await connection.pool.query<StepRow>(
    `${STEP_SELECT(connection.tables)} WHERE s.run_id = $1 AND s.key = $2`,
    [runId, key],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toStepRecord(row, connection.target.location);
}

export async function readSteps(connection: PostgresConnection, runId: string): Promise<StepRecord[]> {
  const result = await connection.pool.query<StepRow>(
    `${STEP_SELECT(connection.tables)} WHERE s.run_id = $1 ORDER BY s.seq`,
    [runId],
  );
  return result.rows.map((row) => toStepRecord(row, connection.target.location));
}

export async function insertStarted(
  connection: PostgresConnection,
  step: StartingStep,
  fence: Fence,
): Promise<void> {
  const { started } = connection.tables;
  await inTransaction(
    connection.pool,
    async (client) => {
      await fence(client);
      await lockRunRow(client, connection, step.runId);
      await client.query(
        `INSERT INTO ${started} (${STARTED_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 1)
         ON CONFLICT (run_id, key) DO UPDATE SET
           started_at = excluded.started_at, pid = excluded.pid, executions = ${started}.executions + 1`,
        [step.runId, step.key, step.phaseId, step.kind, step.startedAt, step.pid],
      );
    },
    { unsynced: true },
  );
}

export async function readUnfinished(
  connection: PostgresConnection,
  runId: string,
): Promise<UnfinishedStep[]> {
  const result = await connection.pool.query<StartedRow>(
    `SELECT ${STARTED_COLUMNS} FROM ${connection.tables.started} WHERE run_id = $1 ORDER BY started_at, seq`,
    [runId],
  );
  return result.rows.map((row) => toUnfinishedStep(row, connection.target.location));
}

/**
 * The step, its cost and the end of its start mark land together: the run's cost never disagrees with its
 * steps, and a step is never both recorded and unfinished. The run's row is locked first, so the steps of one
 * run are recorded one after the other (their order is the order of `seq`).
 */
export async function insertStep(connection: PostgresConnection, step: NewStep, fence: Fence): Promise<void> {
  if (!Number.isFinite(step.costUsd)) {
    throw new JournalError(
      connection.target.location,
      `step ${step.key} has no valid cost (${step.costUsd})`,
      {
        runId: step.runId,
      },
    );
  }
  const t = connection.tables;
  try {
    await inTransaction(connection.pool, async (client) => {
      await fence(client);
      await lockRunRow(client, connection, step.runId);
      const existing = await client.query(`SELECT 1 FROM ${t.steps} WHERE run_id = $1 AND key = $2`, [
        step.runId,
        step.key,
      ]);
      if (existing.rowCount !== 0) throw alreadyRecorded(connection, step);
      const started = await client.query<{ executions: number }>(
        `DELETE FROM ${t.started} WHERE run_id = $1 AND key = $2 RETURNING executions`,
        [step.runId, step.key],
      );
      const executions = started.rows[0]?.executions ?? 0;
      if (executions > 1) {
        await client.query(`INSERT INTO ${t.reexecutions} (run_id, key, executions) VALUES ($1, $2, $3)`, [
          step.runId,
          step.key,
          executions,
        ]);
      }
      await client.query(`UPDATE ${t.runs} SET cost_usd = cost_usd + $1 WHERE run_id = $2`, [
        step.costUsd,
        step.runId,
      ]);
      await client.query(
        `INSERT INTO ${t.steps}
           (run_id, key, phase_id, kind, result_json, cost_usd, started_at, ended_at, schema_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          step.runId,
          step.key,
          step.phaseId,
          step.kind,
          toJson(step.result),
          step.costUsd,
          step.startedAt,
          step.endedAt,
          JOURNAL_SCHEMA_VERSION,
        ],
      );
    });
  } catch (error) {
    // The run's row lock serializes recordings of one run, so this is a belt to those braces.
    if (errorCode(error) === '23505') throw alreadyRecorded(connection, step);
    throw error;
  }
}

function alreadyRecorded({ target }: PostgresConnection, step: NewStep): JournalError {
  return new JournalError(
    target.location,
    `step ${step.key} of run ${step.runId} is already recorded; recording it again would mean it ran twice`,
    { runId: step.runId, hint: 'this is a bug in phasewise; please report it' },
  );
}
