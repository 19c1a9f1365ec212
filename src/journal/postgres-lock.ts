/**
 * The run lock in Postgres: which process may write a run, by the same rules as the SQLite journal
 * (lock-rules.ts). The holder's row is locked (`FOR UPDATE`) while the rules decide, and a free run is taken by an
 * insert that the primary key serializes, so of two processes deciding at once exactly one sees the run free.
 * Every write of a holder reads the row `FOR SHARE` in its own transaction (fencing): a takeover waits for that
 * write to commit, and a write after a takeover sees the new holder and stops.
 *
 * A lock taken by a pool worker records its `worker_id`; when that worker's lease has expired, or it stopped or
 * was recovered (postgres-workers.ts), the lock may be taken over from any host, decided on the database's clock.
 */
import type { PoolClient } from 'pg';
import { RunTakenOverError } from '../errors/index.js';
import type { LockOptions } from './journal.js';
import { type LockRow, toLockHolder } from './journal-rows.js';
import {
  type CurrentHolder,
  type LockEnvironment,
  requireMayTakeOver,
  type TokenHolder,
} from './lock-rules.js';
import { inTransaction, type PostgresConnection } from './postgres-pool.js';

const HOLDER_COLUMNS = 'token, pid, host, since';

export async function readLockHolder(
  { pool, tables }: PostgresConnection,
  runId: string,
): Promise<TokenHolder | undefined> {
  const result = await pool.query<LockRow>(
    `SELECT ${HOLDER_COLUMNS} FROM ${tables.locks} WHERE run_id = $1`,
    [runId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toLockHolder(row);
}

export async function acquireRunLock(
  connection: PostgresConnection,
  runId: string,
  holder: TokenHolder,
  environment: LockEnvironment,
  options: LockOptions = {},
  workerId: string | null = null,
): Promise<void> {
  const { locks } = connection.tables;
  const values = [runId, holder.token, holder.pid, holder.host, holder.since, workerId];
  await inTransaction(connection.pool, async (client) => {
    // A row released between the insert and the read is free again: insert once more (rarely more than twice).
    for (;;) {
      const inserted = await client.query(
        `INSERT INTO ${locks} (run_id, ${HOLDER_COLUMNS}, worker_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (run_id) DO NOTHING`,
        values,
      );
      if (inserted.rowCount === 1) return;
      const current = await holderDeciding(client, connection, runId);
      if (current === undefined) continue;
      requireMayTakeOver(runId, current, holder, environment, options);
      await client.query(
        `UPDATE ${locks} SET token = $2, pid = $3, host = $4, since = $5, worker_id = $6 WHERE run_id = $1`,
        values,
      );
      return;
    }
  });
}

/**
 * Fencing, inside the transaction of a write: the run whose lock this process took must still be held by
 * `token`. The shared row lock keeps a takeover from committing until this write has.
 */
export async function requireLockHeld(
  client: PoolClient,
  connection: PostgresConnection,
  runId: string,
  token: string,
  doing: string,
): Promise<void> {
  const current = await sharedHolder(client, connection, runId);
  if (current?.token === token) return;
  throw new RunTakenOverError(
    runId,
    current === undefined ? undefined : { pid: current.pid, host: current.host, since: current.since },
    doing,
  );
}

export async function releaseRunLock(
  { pool, tables }: PostgresConnection,
  runId: string,
  token: string,
): Promise<void> {
  await pool.query(`DELETE FROM ${tables.locks} WHERE run_id = $1 AND token = $2`, [runId, token]);
}

/** The holder, its row share-locked so that no takeover commits before the write reading it. */
async function sharedHolder(
  client: PoolClient,
  { tables }: PostgresConnection,
  runId: string,
): Promise<TokenHolder | undefined> {
  const result = await client.query<LockRow>(
    `SELECT ${HOLDER_COLUMNS} FROM ${tables.locks} WHERE run_id = $1 FOR SHARE`,
    [runId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toLockHolder(row);
}

/** The holder, its row locked for the decision, and whether its worker's lease is gone (database clock). */
async function holderDeciding(
  client: PoolClient,
  { tables }: PostgresConnection,
  runId: string,
): Promise<CurrentHolder | undefined> {
  const result = await client.query<LockRow & { worker_gone: boolean }>(
    `SELECT l.token, l.pid, l.host, l.since,
            coalesce(w.stopped_at IS NOT NULL OR w.recovered_by IS NOT NULL
                     OR w.heartbeat_at < now() - w.lease_ms * interval '1 millisecond', false) AS worker_gone
     FROM ${tables.locks} l LEFT JOIN ${tables.workers} w ON w.worker_id = l.worker_id
     WHERE l.run_id = $1
     FOR UPDATE OF l`,
    [runId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : { ...toLockHolder(row), workerGone: row.worker_gone };
}
