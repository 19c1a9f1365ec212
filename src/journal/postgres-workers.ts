/**
 * Workers and their leases in Postgres: each worker has a row whose `heartbeat_at` it renews from the database's
 * clock (never its own, so machines whose clocks disagree still agree on who is late). A worker silent for longer
 * than its own `lease_ms` is dead; live workers of the same application version claim dead peers with one
 * `UPDATE … WHERE worker_id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`, so two claimers racing get disjoint
 * sets and every dead worker is claimed by exactly one of them. A worker that was claimed can no longer renew:
 * it learns it has lost its lease and stops.
 */
import type { Pool } from 'pg';
import type { JournalTables } from './postgres-pool.js';

/** What a worker records about itself when it starts. */
export interface WorkerRegistration {
  workerId: string;
  host: string;
  pid: number;
  /** Only workers of the same version recover each other's runs (DBOS dequeues by version too). */
  appVersion: string;
  /** How long it may stay silent before its peers take its runs. */
  leaseMs: number;
}

/** The SQL side of leases; a `WorkerRegistry` (postgres-worker-registry.ts) adds the pool and the errors. */
export interface WorkerTables {
  pool: Pool;
  tables: Pick<JournalTables, 'workers'>;
}

/** How long the row of a worker that stopped or was recovered is kept (what `runs` says of its runs). */
export const FINISHED_WORKER_RETENTION_DAYS = 7;

/** Registers the worker, and forgets workers that stopped or were recovered over a retention period ago. */
export async function insertWorker(
  { pool, tables }: WorkerTables,
  worker: WorkerRegistration,
): Promise<void> {
  await pool.query(
    `INSERT INTO ${tables.workers} (worker_id, host, pid, app_version, lease_ms, started_at, heartbeat_at)
     VALUES ($1, $2, $3, $4, $5, now(), now())`,
    [worker.workerId, worker.host, worker.pid, worker.appVersion, Math.round(worker.leaseMs)],
  );
  await pool.query(
    `DELETE FROM ${tables.workers}
      WHERE coalesce(stopped_at, recovered_at) < now() - $1 * interval '1 day'`,
    [FINISHED_WORKER_RETENTION_DAYS],
  );
}

/**
 * Renews the lease (heartbeat_at = the database's now()). Returns false when there is no lease to renew: the
 * worker was marked stopped, or a peer found it dead and claimed it — its runs are being recovered elsewhere.
 */
export async function renewWorker({ pool, tables }: WorkerTables, workerId: string): Promise<boolean> {
  const result = await pool.query(
    `UPDATE ${tables.workers} SET heartbeat_at = now()
     WHERE worker_id = $1 AND stopped_at IS NULL AND recovered_by IS NULL`,
    [workerId],
  );
  return result.rowCount === 1;
}

/** A clean stop: the worker's runs are not recovered by peers (it finished or handed them back itself). */
export async function markWorkerStopped({ pool, tables }: WorkerTables, workerId: string): Promise<void> {
  await pool.query(
    `UPDATE ${tables.workers} SET stopped_at = now() WHERE worker_id = $1 AND stopped_at IS NULL`,
    [workerId],
  );
}

/**
 * Claims, for `claimer`, every peer of `appVersion` whose lease has expired and that nobody has claimed, in one
 * statement: rows another claimer is locking are skipped, not waited for, so each dead worker goes to one claimer.
 */
export async function claimDeadWorkers(
  { pool, tables }: WorkerTables,
  claimer: string,
  appVersion: string,
): Promise<string[]> {
  const result = await pool.query<{ worker_id: string }>(
    `UPDATE ${tables.workers} SET recovered_by = $1, recovered_at = now()
     WHERE worker_id IN (
       SELECT worker_id FROM ${tables.workers}
       WHERE app_version = $2 AND worker_id <> $1
         AND stopped_at IS NULL AND recovered_by IS NULL
         AND heartbeat_at < now() - lease_ms * interval '1 millisecond'
       ORDER BY worker_id
       FOR UPDATE SKIP LOCKED)
     RETURNING worker_id`,
    [claimer, appVersion],
  );
  return result.rows.map((row) => row.worker_id).sort();
}

/** Gives claimed workers back (their recovery failed), so the next claim by any live worker tries again. */
export async function releaseClaims(
  { pool, tables }: WorkerTables,
  claimer: string,
  workerIds: readonly string[],
): Promise<void> {
  await pool.query(
    `UPDATE ${tables.workers} SET recovered_by = NULL, recovered_at = NULL
     WHERE worker_id = ANY($2::text[]) AND recovered_by = $1`,
    [claimer, [...workerIds]],
  );
}
