/**
 * The connection pool of a Postgres journal, and its transactions. The pool is built from the URL's fields (the
 * driver never sees the URL, so never logs it) and the driver is loaded only when a Postgres journal is opened:
 * commands that use the SQLite journal do not pay for it. Table names are qualified by the journal's schema.
 */
import type { Pool, PoolClient } from 'pg';
import { isUnreachable } from './postgres-errors.js';
import type { PostgresTarget } from './postgres-location.js';
import { CommitOutcomeUnknown } from './postgres-retry.js';

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
  | 'ledgerRuns'
  | 'ledgerPhases'
  | 'ledgerReservations'
  | 'workers'
  | 'rateLimitProviders'
  | 'admissions'
  | 'phaseCache',
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
    ledgerRuns: table('ledger_runs'),
    ledgerPhases: table('ledger_phases'),
    ledgerReservations: table('ledger_reservations'),
    workers: table('workers'),
    rateLimitProviders: table('rate_limit_providers'),
    admissions: table('provider_admissions'),
    phaseCache: table('phase_cache'),
  };
}

/** What a pool for one purpose changes from the journal's defaults (a lease's pool waits less than the journal's). */
export interface PoolSettings {
  max?: number;
  connectionTimeoutMillis?: number;
  /** Client-side limit on one query, so a server that stops answering fails the query instead of hanging it. */
  queryTimeoutMillis?: number;
  applicationName?: string;
}

export async function createPool(target: PostgresTarget, settings: PoolSettings = {}): Promise<Pool> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    database: target.database,
    max: settings.max ?? 10,
    connectionTimeoutMillis: settings.connectionTimeoutMillis ?? 10_000,
    ...(settings.queryTimeoutMillis === undefined ? {} : { query_timeout: settings.queryTimeoutMillis }),
    idleTimeoutMillis: 10_000,
    application_name: settings.applicationName ?? 'phasewise',
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

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. A
 * connection lost during the COMMIT is a `CommitOutcomeUnknown` (postgres-retry.ts decides what to do with it).
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  // A connection the server ends between two queries (a restart) emits here; unheard, it would end the
  // process. The next query fails instead, and the connection is destroyed below.
  const heard = (error: Error) => {
    broken ??= error;
  };
  client.on('error', heard);
  try {
    await client.query('BEGIN');
    if (options.unsynced === true) await client.query('SET LOCAL synchronous_commit = off');
    const result = await work(client);
    await commit(client);
    return result;
  } catch (error) {
    broken = (await rollbackQuietly(client)) ?? broken;
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: destroyed, not reused.
    client.off('error', heard);
    client.release(broken === undefined ? undefined : true);
  }
}

async function commit(client: PoolClient): Promise<void> {
  try {
    await client.query('COMMIT');
  } catch (error) {
    throw isUnreachable(error) ? new CommitOutcomeUnknown(error) : error;
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
