/**
 * A throwaway Postgres server for one test file (scripts/postgres.sh), and schemas inside it that keep each
 * test's journal apart: every `freshSchema()` is a new, empty schema, dropped by its `drop()`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePostgresJournal } from '../../../src/journal/index.js';

const script = fileURLToPath(new URL('../../../scripts/postgres.sh', import.meta.url));

export interface PostgresServer {
  url: string;
  /** A new schema name, unused until the journal is migrated into it. */
  freshSchema(): string;
  /** Runs SQL as the server's owner (e.g. to drop a schema, or to damage a journal on purpose). */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

let schemas = 0;

export function startPostgres(): PostgresServer {
  const url = execFileSync('bash', [script, 'start'], { encoding: 'utf8' }).trim();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  return {
    url,
    freshSchema: () => `pw_test_${process.pid}_${++schemas}`,
    sql: (text, values) => pool.query(text, values),
    stop: async () => {
      await pool.end();
      execFileSync('bash', [script, 'stop', url]);
    },
  };
}

/**
 * The calling test file's server, started before its tests and stopped after them (`server` is the running one),
 * and `migratedSchema()`: a fresh schema at this build's journal version.
 */
export function postgresForFile(): { readonly server: PostgresServer; migratedSchema(): Promise<string> } {
  let running: PostgresServer | undefined;
  beforeAll(() => {
    running = startPostgres();
  });
  afterAll(async () => {
    await running?.stop();
  });
  const server = () => {
    if (running === undefined) throw new Error('the Postgres server is started before the tests');
    return running;
  };
  return {
    get server() {
      return server();
    },
    async migratedSchema() {
      const schema = server().freshSchema();
      await migratePostgresJournal({ url: server().url, schema });
      return schema;
    },
  };
}
