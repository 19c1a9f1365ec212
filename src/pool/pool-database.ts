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
/** The worker that holds (or last held) a run, and where its lease stands now, by the database's clock. */
export interface RunWorker {
  workerId: string;
  /**
   * `live`: renewing its lease; `expired`: silent past its lease and not yet recovered (its runs wait for a live
   * worker of its version to take them over); `stopped`: shut down; `recovered`: its runs were taken over.
   * `unknown` when its row is gone.
   */
  lease: 'live' | 'expired' | 'stopped' | 'recovered' | 'unknown';
  /** Milliseconds since its last renewal; null when its row is gone. */
  silentMs: number | null;
}

export async function readRunWorkers(
  client: Queryable,
  tables: { runs: string; workers: string },
): Promise<Map<string, RunWorker>> {
  const result = await client.query<{
    run_id: string;
    worker_id: string;
    silent_ms: string | null;
    lease_ms: number | null;
    stopped: boolean | null;
    recovered: boolean | null;
  }>(
    `SELECT r.run_id, r.worker_id,
            floor(extract(epoch FROM now() - w.heartbeat_at) * 1000) AS silent_ms, w.lease_ms,
            w.stopped_at IS NOT NULL AS stopped, w.recovered_by IS NOT NULL AS recovered
       FROM ${tables.runs} r LEFT JOIN ${tables.workers} w ON w.worker_id = r.worker_id
      WHERE r.worker_id IS NOT NULL`,
  );
  return new Map(
    result.rows.map((row) => {
      const silentMs = row.silent_ms === null ? null : Number(row.silent_ms);
      const lease: RunWorker['lease'] =
        row.lease_ms === null || silentMs === null
          ? 'unknown'
          : row.recovered
            ? 'recovered'
            : row.stopped
              ? 'stopped'
              : silentMs > row.lease_ms
                ? 'expired'
                : 'live';
      return [row.run_id, { workerId: row.worker_id, lease, silentMs }];
    }),
  );
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
