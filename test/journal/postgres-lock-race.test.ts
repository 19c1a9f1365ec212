/**
 * The Postgres journal's run lock across OS processes: two processes race for the same runs round after round,
 * each with its own connection pool, and each round exactly one wins while the other is refused with the
 * winner's pid (the row lock, not luck, decides).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgresJournal } from '../../src/journal/index.js';
import { expectOneWinnerEachRound } from './support/lock-race.js';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';

const rounds = 40;
const intervalMs = 40;

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe('the Postgres run lock across OS processes', () => {
  it('lets exactly one of two racing processes win each round, and the loser names the winner', async () => {
    const schema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema });
    await expectOneWinnerEachRound(rounds, intervalMs, [server.url, schema]);
    const locks = await server.sql(`SELECT count(*)::int AS n FROM "${schema}".locks`);
    expect(locks.rows[0]?.n).toBe(rounds);
  }, 60_000);
});
