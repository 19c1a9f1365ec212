import { afterAll, beforeAll } from 'vitest';
import { migratePostgresJournal, openPostgresJournal } from '../../src/journal/index.js';
import { describePhaseCacheContract } from './phase-cache-contract.js';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describePhaseCacheContract('PostgresJournal', async () => {
  const schema = server.freshSchema();
  await migratePostgresJournal({ url: server.url, schema });
  return {
    open: () => openPostgresJournal({ url: server.url, schema }),
    cleanup: async () => {
      await server.sql(`DROP SCHEMA "${schema}" CASCADE`);
    },
  };
});
