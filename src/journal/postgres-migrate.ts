/**
 * The Postgres journal's schema version: `phasewise db migrate` brings a database to this build's version, and
 * every other opening refuses a database at another version instead of changing it. A migration runs in one
 * transaction under an advisory lock, so two processes migrating at once take turns: the second finds the work
 * done and changes nothing, and a failure leaves the database at its old version.
 */
import type { PoolClient } from 'pg';
import { JournalError } from '../errors/index.js';
import { inTransaction, type PostgresConnection } from './postgres-pool.js';
import { migrationTo, POSTGRES_SCHEMA_VERSION } from './postgres-schema.js';

export interface MigrationResult {
  /** The version found (0: no journal tables yet). */
  from: number;
  to: number;
}

const MIGRATE_HINT = 'run `phasewise db migrate` (with the same --database-url or PHASEWISE_DATABASE_URL)';

export async function migrateSchema(connection: PostgresConnection): Promise<MigrationResult> {
  const { pool, target, tables } = connection;
  return inTransaction(pool, async (client) => {
    // Held until commit; keyed by the schema, so journals in other schemas migrate independently.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`phasewise migrate ${target.schema}`]);
    const from = await readVersion(client, connection);
    if (from > POSTGRES_SCHEMA_VERSION) throw newerVersionError(connection, from);
    if (from === POSTGRES_SCHEMA_VERSION) return { from, to: from };
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${tables.schemaVersion} (
         version    integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    for (let version = from + 1; version <= POSTGRES_SCHEMA_VERSION; version += 1) {
      await client.query(migrationTo(version, tables));
      await client.query(`INSERT INTO ${tables.schemaVersion} (version) VALUES ($1)`, [version]);
    }
    return { from, to: POSTGRES_SCHEMA_VERSION };
  });
}

/** Refuses, before anything is read or written, a database this build cannot use as it is. */
export async function requireCurrentVersion(connection: PostgresConnection): Promise<void> {
  const client = await connection.pool.connect();
  let version: number;
  try {
    version = await readVersion(client, connection);
  } finally {
    client.release();
  }
  if (version === POSTGRES_SCHEMA_VERSION) return;
  if (version > POSTGRES_SCHEMA_VERSION) throw newerVersionError(connection, version);
  const found =
    version === 0
      ? `holds no phasewise journal in schema ${connection.target.schema} yet`
      : `holds version ${version} of the journal schema; this build uses version ${POSTGRES_SCHEMA_VERSION}`;
  throw new JournalError(connection.target.location, `${found}; nothing was changed`, { hint: MIGRATE_HINT });
}

/** The highest migration applied, 0 when the schema or its version table does not exist. */
async function readVersion(client: PoolClient, { tables }: PostgresConnection): Promise<number> {
  const exists = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [
    tables.schemaVersion,
  ]);
  if (exists.rows[0]?.found == null) return 0;
  const result = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${tables.schemaVersion}`,
  );
  return result.rows[0]?.version ?? 0;
}

function newerVersionError({ target }: PostgresConnection, version: number): JournalError {
  return new JournalError(
    target.location,
    `was migrated by a newer phasewise, to version ${version} of the journal schema; this build uses version ${POSTGRES_SCHEMA_VERSION}; nothing was changed`,
    { hint: 'upgrade phasewise to use this database (`phasewise db migrate` never downgrades a schema)' },
  );
}
