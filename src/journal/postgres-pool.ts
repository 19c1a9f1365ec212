/**
 * The connection pool of a Postgres journal, and its transactions. The pool is built from the URL's fields (the
 * driver never sees the URL, so never logs it) and the driver is loaded only when a Postgres journal is opened:
 * commands that use the SQLite journal do not pay for it. Table names are qualified by the journal's schema.
 */
import type { Pool, PoolClient } from 'pg';
import type { PostgresTarget } from './postgres-location.js';

/** An open Postgres journal as the run, step, event and lock operations need it. */
export interface PostgresConnection {
  target: PostgresTarget;
  pool: Pool;
  /** Schema-qualified table names. */
  tables: JournalTables;
}

export type JournalTables = Record<
  | 'schemaVersion'
  | 'runs'
  | 'steps'
  | 'started'
  | 'reexecutions'
  | 'events'
  | 'locks'
  | 'rateLimitProviders'
  | 'admissions',
  string
>;

export function journalTables(schema: string): JournalTables {
  const table = (name: string) => `"${schema}".${name}`;
  return {
    schemaVersion: table('schema_version'),
    runs: table('runs'),
    steps: table('steps'),
    started: table('steps_started'),
    reexecutions: table('step_reexecutions'),
    events: table('events'),
    locks: table('locks'),
    rateLimitProviders: table('rate_limit_providers'),
    admissions: table('provider_admissions'),
  };
}

export async function createPool(target: PostgresTarget): Promise<Pool> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    database: target.database,
    max: 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
    application_name: 'phasewise',
  });
  // An idle connection the server drops emits here; unhandled, it would end the process. The next query that
  // needs a connection reports the failure instead.
  pool.on('error', () => {});
  return pool;
}

export interface TransactionOptions {
  /**
   * Commit without waiting for the WAL flush (SET LOCAL synchronous_commit = off): for start marks and events,
   * which the next step's synced commit makes durable with it; a server crash can lose only those.
   */
  unsynced?: boolean;
}

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    if (options.unsynced === true) await client.query('SET LOCAL synchronous_commit = off');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = await rollbackQuietly(client);
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: destroyed, not reused.
    client.release(broken === undefined ? undefined : true);
  }
}

async function rollbackQuietly(client: PoolClient): Promise<unknown> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error ?? new Error('rollback failed');
  }
}
