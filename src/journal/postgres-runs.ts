/**
 * Runs in the Postgres journal: created once, read, and updated as a whole with the row locked (`FOR UPDATE`),
 * so two updates of one run never interleave their read and write.
 */
import type { PoolClient } from 'pg';
import { JournalError } from '../errors/index.js';
import { applyRunUpdate } from './apply-run-update.js';
import type { NewRun, RunRecord, RunUpdate } from './journal.js';
import { type RunRow, runParameters, toRunRecord } from './journal-rows.js';
import { inTransaction, type PostgresConnection } from './postgres-pool.js';

/** Runs inside a write's transaction before anything else (the run lock still held; see postgres-lock.ts). */
export type Fence = (client: PoolClient) => Promise<void>;

const RUN_COLUMNS = [
  'run_id',
  'created_at',
  'updated_at',
  'ended_at',
  'status',
  'exit_code',
  'cost_usd',
  'message',
  'task',
  'workspace',
  'workflow_json',
  'workflow_hash',
] as const;
const COLUMN_LIST = RUN_COLUMNS.join(', ');
const PLACEHOLDERS = RUN_COLUMNS.map((_, index) => `$${index + 1}`).join(', ');

function runValues(run: RunRecord): unknown[] {
  const parameters = runParameters(run);
  return RUN_COLUMNS.map((column) => parameters[column]);
}

export async function insertRun(connection: PostgresConnection, run: NewRun): Promise<void> {
  const fresh = { status: 'running', updatedAt: run.createdAt, endedAt: null, exitCode: null } as const;
  const values = runValues({ ...run, ...fresh, costUsd: 0, message: null });
  const result = await connection.pool.query(
    `INSERT INTO ${connection.tables.runs} (${COLUMN_LIST}) VALUES (${PLACEHOLDERS}) ON CONFLICT (run_id) DO NOTHING`,
    values,
  );
  if (result.rowCount !== 1) {
    throw new JournalError(connection.target.location, `already holds a run with id ${run.runId}`, {
      runId: run.runId,
    });
  }
}

export async function readRun(
  { pool, tables }: PostgresConnection,
  runId: string,
): Promise<RunRecord | undefined> {
  const result = await pool.query<RunRow>(`SELECT ${COLUMN_LIST} FROM ${tables.runs} WHERE run_id = $1`, [
    runId,
  ]);
  const row = result.rows[0];
  return row === undefined ? undefined : toRunRecord(row);
}

export async function readRuns({ pool, tables }: PostgresConnection): Promise<RunRecord[]> {
  // seq breaks ties between runs created in the same millisecond: the later insert is the newer run.
  const result = await pool.query<RunRow>(
    `SELECT ${COLUMN_LIST} FROM ${tables.runs} ORDER BY created_at DESC, seq DESC`,
  );
  return result.rows.map(toRunRecord);
}

export async function updateRunRecord(
  connection: PostgresConnection,
  runId: string,
  update: RunUpdate,
  fence: Fence,
): Promise<void> {
  const { runs } = connection.tables;
  await inTransaction(connection.pool, async (client) => {
    await fence(client);
    const result = await client.query<RunRow>(
      `SELECT ${COLUMN_LIST} FROM ${runs} WHERE run_id = $1 FOR UPDATE`,
      [runId],
    );
    const row = result.rows[0];
    if (row === undefined) throw noSuchRun(connection, runId);
    const assignments = RUN_COLUMNS.map((column, index) => `${column} = $${index + 1}`).join(', ');
    await client.query(
      `UPDATE ${runs} SET ${assignments} WHERE run_id = $1`,
      runValues(applyRunUpdate(toRunRecord(row), update)),
    );
  });
}

/** Locks the run's row for the rest of the transaction (its cost is about to change), or refuses a missing run. */
export async function lockRunRow(
  client: PoolClient,
  connection: PostgresConnection,
  runId: string,
): Promise<void> {
  const result = await client.query(`SELECT 1 FROM ${connection.tables.runs} WHERE run_id = $1 FOR UPDATE`, [
    runId,
  ]);
  if (result.rowCount === 0) throw noSuchRun(connection, runId);
}

function noSuchRun({ target }: PostgresConnection, runId: string): JournalError {
  return new JournalError(target.location, `holds no run with id ${runId}`, { runId });
}
