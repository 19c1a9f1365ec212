/**
 * The shared database as the pool sees it: one `pg` pool of our own over the journal's database (the driver
 * never sees the URL, so never logs it), which DBOS uses too (its system tables live in schema `dbos` of the same
 * database, so a run's journal row and its queue row are written in one transaction), and the queued-run
 * columns of the journal's runs table: repository, commit, execution number, worker, abort flag.
 */
import type { PoolClient } from 'pg';
import { toJournalError } from '../journal/postgres-errors.js';
import { parseDatabaseUrl } from '../journal/postgres-location.js';
import { requireCurrentVersion } from '../journal/postgres-migrate.js';
import { createPool, journalTables, type PostgresConnection } from '../journal/postgres-pool.js';

export interface PoolDatabase extends PostgresConnection {
  /** The journal's runs table, schema-qualified. */
  runsTable: string;
}

/** Connects, whatever the database holds. */
export async function connectDatabase(url: string, schema?: string): Promise<PoolDatabase> {
  const target = parseDatabaseUrl(url, schema);
  const tables = journalTables(target.schema);
  return { target, pool: await createPool(target), tables, runsTable: tables.runs };
}

/** Connects, and refuses a database whose journal is not at this build's schema version (`db migrate`). */
export async function connectPoolDatabase(url: string, schema?: string): Promise<PoolDatabase> {
  const database = await connectDatabase(url, schema);
  try {
    await guardDatabase(database, 'open the journal', () => requireCurrentVersion(database));
  } catch (error) {
    await database.pool.end();
    throw error;
  }
  return database;
}

/** Names the database and the operation in whatever the driver throws. */
export async function guardDatabase<T>(
  database: PoolDatabase,
  doing: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toJournalError(database.target, doing, error);
  }
}

/** What the pool keeps of a run beside the journal's record. */
export interface QueuedRunRow {
  runId: string;
  repo: string | null;
  ref: string | null;
  /** The DBOS execution number: the workflow `<run-id>.<execution>` (0: never queued). */
  execution: number;
  workerId: string | null;
  abortRequested: boolean;
}

type Queryable = Pick<PoolClient, 'query'>;

export async function readQueuedRun(
  client: Queryable,
  runsTable: string,
  runId: string,
  lock = false,
): Promise<QueuedRunRow | undefined> {
  const result = await client.query<{
    run_id: string;
    repo: string | null;
    ref: string | null;
    execution: number;
    worker_id: string | null;
    abort_requested: boolean;
  }>(
    `SELECT run_id, repo, ref, execution, worker_id, abort_requested FROM ${runsTable} WHERE run_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [runId],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    runId: row.run_id,
    repo: row.repo,
    ref: row.ref,
    execution: row.execution,
    workerId: row.worker_id,
    abortRequested: row.abort_requested,
  };
}

/** The worker holding each run that has one (on a database whose journal carries the pool's columns). */
export async function readWorkerIds(client: Queryable, runsTable: string): Promise<Map<string, string>> {
  const result = await client.query<{ run_id: string; worker_id: string }>(
    `SELECT run_id, worker_id FROM ${runsTable} WHERE worker_id IS NOT NULL`,
  );
  return new Map(result.rows.map((row) => [row.run_id, row.worker_id]));
}

export async function setWorker(
  client: Queryable,
  runsTable: string,
  runId: string,
  workerId: string | null,
): Promise<void> {
  await client.query(`UPDATE ${runsTable} SET worker_id = $2 WHERE run_id = $1`, [runId, workerId]);
}

export async function requestAbort(client: Queryable, runsTable: string, runId: string): Promise<void> {
  await client.query(`UPDATE ${runsTable} SET abort_requested = true WHERE run_id = $1`, [runId]);
}
