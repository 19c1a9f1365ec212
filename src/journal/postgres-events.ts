/**
 * Events in the Postgres journal, listed in the order they were appended (`seq`). Like start marks, an event
 * commits without waiting for the WAL flush: it is progress, not paid work, and the next step's synced commit
 * makes it durable with it.
 */
import type { RunEvent } from '../events/index.js';
import { toEvent, toJson } from './journal-rows.js';
import { inTransaction, type PostgresConnection } from './postgres-pool.js';
import type { Fence } from './postgres-runs.js';

export async function insertEvent(
  connection: PostgresConnection,
  event: RunEvent,
  fence: Fence,
): Promise<void> {
  await inTransaction(
    connection.pool,
    async (client) => {
      await fence(client);
      await client.query(
        `INSERT INTO ${connection.tables.events} (run_id, type, at, event_json) VALUES ($1, $2, $3, $4)`,
        [event.runId, event.type, event.at, toJson(event)],
      );
    },
    { unsynced: true },
  );
}

export async function readEvents({ pool, tables }: PostgresConnection, runId: string): Promise<RunEvent[]> {
  const result = await pool.query<{ event_json: string }>(
    `SELECT event_json FROM ${tables.events} WHERE run_id = $1 ORDER BY seq`,
    [runId],
  );
  return result.rows.map(toEvent);
}

/** Whether `event` is the run's latest stored event (after a cut-off COMMIT: did it land?). */
export async function isLatestEvent({ pool, tables }: PostgresConnection, event: RunEvent): Promise<boolean> {
  const result = await pool.query<{ event_json: string }>(
    `SELECT event_json FROM ${tables.events} WHERE run_id = $1 ORDER BY seq DESC LIMIT 1`,
    [event.runId],
  );
  return result.rows[0]?.event_json === toJson(event);
}
