/**
 * `phasewise db migrate`: brings the shared Postgres journal's tables to this build's schema version, creating
 * them the first time. Every other command refuses a database at another version and names this one.
 */
import { migratePostgresJournal } from '../../journal/index.js';
import { migrateDbosSystemDatabase } from '../../pool/index.js';
import { databaseUrl } from '../database-url.js';

export interface DbMigrateOptions {
  databaseUrl?: string;
}

export async function dbMigrateCommand(options: DbMigrateOptions): Promise<number> {
  const url = databaseUrl(options.databaseUrl);
  const { from, to, location } = await migratePostgresJournal({ url });
  // DBOS's system tables (schema dbos) for queued runs and workers; no other process creates them.
  await migrateDbosSystemDatabase(url);
  process.stdout.write(
    from === to
      ? `${location}: the journal schema is already at version ${to}; nothing to do\n`
      : from === 0
        ? `${location}: created the journal schema at version ${to}\n`
        : `${location}: migrated the journal schema from version ${from} to ${to}\n`,
  );
  return 0;
}
