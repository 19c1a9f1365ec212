/**
 * The Journal contract suite against the Postgres journal, each test in its own freshly migrated schema of one
 * throwaway server; then what only Postgres has: a password-free location, fencing across handles, and schema
 * versions (migrate twice, refusing an unmigrated or newer database).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JournalError, RunTakenOverError } from '../../src/errors/index.js';
import {
  type Journal,
  migratePostgresJournal,
  openPostgresJournal,
  POSTGRES_SCHEMA_VERSION,
} from '../../src/journal/index.js';
import { closedPort } from '../support/closed-port.js';
import { sampleEvents, sampleRun, sampleStep } from './contract/samples.js';
import { describeJournalContract } from './journal-contract.js';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function migratedJournal(
  options: { hostname?: string } = {},
): Promise<{ journal: Journal; schema: string }> {
  const schema = server.freshSchema();
  await migratePostgresJournal({ url: server.url, schema });
  return { journal: await openPostgresJournal({ url: server.url, schema, ...options }), schema };
}

describeJournalContract('PostgresJournal', async () => {
  const { journal, schema } = await migratedJournal();
  return {
    journal,
    cleanup: async () => {
      await journal.close();
      await server.sql(`DROP SCHEMA "${schema}" CASCADE`);
    },
  };
});

describe('PostgresJournal', () => {
  const opened: Journal[] = [];
  const open = async (options: { hostname?: string; schema?: string } = {}): Promise<Journal> => {
    const journal = options.schema
      ? await openPostgresJournal({ url: server.url, ...options })
      : (await migratedJournal(options)).journal;
    opened.push(journal);
    return journal;
  };
  afterEach(async () => {
    for (const journal of opened.splice(0)) await journal.close();
  });

  it("stores other runs' events while one run's wait (a row lock held elsewhere), each run's in order", async () => {
    const { journal, schema } = await migratedJournal();
    opened.push(journal);
    for (const runId of ['run-a', 'run-b']) {
      await journal.createRun(sampleRun(runId));
      await journal.acquireLock(runId, { pid: process.pid, host: 'here', since: 'now', token: runId });
    }
    // Another session holds run-a's lock row: run-a's next write waits for it at its fence (`FOR SHARE`).
    const other = new pg.Client({ connectionString: server.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM "${schema}".locks WHERE run_id = 'run-a' FOR UPDATE`);
      const waiting = sampleEvents('run-a').map((event) => journal.appendEvent(event));
      let aLanded = false;
      void Promise.all(waiting).then(() => {
        aLanded = true;
      });
      const [bEvent] = sampleEvents('run-b');
      const bAppended = await Promise.race([
        journal.appendEvent(bEvent!).then(() => 'stored'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000)),
      ]);
      expect(bAppended).toBe('stored');
      expect(aLanded).toBe(false);
      await other.query('ROLLBACK');
      await Promise.all(waiting);
    } finally {
      await other.end();
    }
    expect((await journal.listEvents('run-a')).map((event) => event.type)).toEqual(
      sampleEvents('run-a').map((event) => event.type),
    );
    expect(await journal.listEvents('run-b')).toHaveLength(1);
  });

  it("refuses a run's later events once one failed, so none is stored after a gap, until its lock is taken again", async () => {
    const { journal } = await migratedJournal();
    opened.push(journal);
    await journal.createRun(sampleRun('run-a'));
    await journal.acquireLock('run-a', { pid: process.pid, host: 'here', since: 'now', token: 'a' });
    const [first, second, third] = sampleEvents('run-a');
    // Postgres refuses a NUL in text: this event fails for a reason of its own.
    const unstorable = journal.appendEvent({ ...first!, at: 'bad\u0000time' });
    const after = journal.appendEvent(second!);
    await expect(unstorable).rejects.toThrow();
    await expect(after).rejects.toThrow();
    expect(await journal.listEvents('run-a')).toEqual([]);
    await journal.releaseLock('run-a', 'a');
    await journal.acquireLock('run-a', { pid: process.pid, host: 'here', since: 'later', token: 'a2' });
    await journal.appendEvent(third!);
    expect(await journal.listEvents('run-a')).toEqual([third]);
  });

  it("stores a run's step only after the events appended before it", async () => {
    const { journal, schema } = await migratedJournal();
    opened.push(journal);
    await journal.createRun(sampleRun('run-a'));
    await journal.acquireLock('run-a', { pid: process.pid, host: 'here', since: 'now', token: 'a' });
    // Another session keeps every insert into the events table waiting; the steps table stays free.
    const other = new pg.Client({ connectionString: server.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`LOCK TABLE "${schema}".events IN EXCLUSIVE MODE`);
      const [event] = sampleEvents('run-a');
      const appended = journal.appendEvent(event!);
      const started = journal.startStep({ ...sampleStep('run-a', 'research/a1/t1/model'), pid: process.pid });
      const early = await Promise.race([
        started.then(() => 'stored ahead of the event'),
        new Promise((resolve) => setTimeout(() => resolve('waiting for the event'), 1_000)),
      ]);
      expect(early).toBe('waiting for the event');
      await other.query('ROLLBACK');
      await Promise.all([appended, started]);
    } finally {
      await other.end();
    }
    expect(await journal.listEvents('run-a')).toHaveLength(1);
    expect(await journal.listUnfinishedSteps('run-a')).toHaveLength(1);
  });

  it('shows its database without the password', async () => {
    const journal = await open();
    const { password, port } = new URL(server.url);
    expect(journal.location).toMatch(
      new RegExp(`^postgresql://phasewise@127\\.0\\.0\\.1:${port}/phasewise\\?schema=pw_test_`),
    );
    expect(journal.location).not.toContain(password);
  });

  it('fences a writer whose lock was broken from another host: its next write stops, nothing of it is recorded', async () => {
    const schema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema });
    const first = await open({ schema, hostname: 'host-a' });
    const second = await open({ schema, hostname: 'host-b' });
    await first.createRun(sampleRun('run-1'));
    await first.acquireLock('run-1', { pid: process.pid, host: 'host-a', since: 'then', token: 'a' });
    await first.startStep({ ...sampleStep('run-1', 'research/a1/t1/model'), pid: process.pid });
    await second.acquireLock(
      'run-1',
      { pid: 4242, host: 'host-b', since: 'now', token: 'b' },
      { breakLock: true },
    );
    const step = sampleStep('run-1', 'research/a1/t1/model', 0.01);
    await expect(first.recordStep(step)).rejects.toThrow(RunTakenOverError);
    await expect(first.startStep({ ...sampleStep('run-1', 'research/a1/t2/model'), pid: 1 })).rejects.toThrow(
      /taken over by pid 4242 on host-b/,
    );
    await expect(first.updateRun('run-1', { status: 'failed', updatedAt: 'now' })).rejects.toThrow(
      RunTakenOverError,
    );
    await expect(first.appendEvent(sampleEvents('run-1')[0]!)).rejects.toThrow(RunTakenOverError);
    expect(await second.getStep('run-1', 'research/a1/t1/model')).toBeUndefined();
    expect((await second.getRun('run-1'))?.status).not.toBe('failed');
    expect(await second.listEvents('run-1')).toEqual([]);
    await second.recordStep(step);
    expect((await second.getStep('run-1', 'research/a1/t1/model'))?.costUsd).toBe(0.01);
  });

  it('lets two handles on one schema see each other’s writes', async () => {
    const schema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema });
    const writer = await open({ schema });
    const reader = await open({ schema });
    await writer.createRun(sampleRun('run-a'));
    await writer.recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.5));
    expect((await reader.getRun('run-a'))?.costUsd).toBe(0.5);
  });

  it('records each of many concurrent steps of one run once, their costs summed exactly', async () => {
    const journal = await open();
    await journal.createRun(sampleRun('run-a'));
    const keys = Array.from({ length: 20 }, (_, index) => `research/a1/t${index}/model`);
    await Promise.all(keys.map((key) => journal.recordStep(sampleStep('run-a', key, 0.25))));
    const twice = await Promise.allSettled(
      keys.slice(0, 5).map((key) => journal.recordStep(sampleStep('run-a', key, 1))),
    );
    expect(
      twice.every((outcome) => outcome.status === 'rejected' && outcome.reason instanceof JournalError),
    ).toBe(true);
    expect((await journal.listSteps('run-a')).map((step) => step.key).sort()).toEqual([...keys].sort());
    expect((await journal.getRun('run-a'))?.costUsd).toBe(5);
  });

  it('names the operation and the database, without the password, in what the server refuses', async () => {
    const schema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema });
    const journal = await open({ schema });
    await journal.createRun(sampleRun('run-a'));
    await server.sql(`DROP TABLE "${schema}".step_reexecutions`);
    const error = await journal.listSteps('run-a').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JournalError);
    const { message } = error as JournalError;
    expect(message).toMatch(
      new RegExp(
        `^postgresql://phasewise@127\\.0\\.0\\.1:\\d+/phasewise\\?schema=${schema}: could not list the steps of run run-a: .*step_reexecutions.* does not exist \\[42P01\\]$`,
      ),
    );
    expect(message).not.toContain(new URL(server.url).password);
    expect((error as JournalError).exitCode).toBe(2);
  });

  it('names host and port of a server it cannot reach when opening, without the password', async () => {
    const port = await closedPort();
    const error = await openPostgresJournal({
      url: `postgresql://phasewise:hidden-pw-1@127.0.0.1:${port}/phasewise`,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).message).toBe(
      `postgresql://phasewise@127.0.0.1:${port}/phasewise: could not open the journal: cannot reach Postgres at 127.0.0.1:${port} (connection refused)`,
    );
    expect(JSON.stringify(error) + String((error as JournalError).hint)).not.toContain('hidden-pw-1');
  });

  it('refuses a step with no valid cost', async () => {
    const journal = await open();
    await journal.createRun(sampleRun('run-a'));
    await expect(journal.recordStep(sampleStep('run-a', 'k', Number.NaN))).rejects.toThrow(JournalError);
    expect((await journal.getRun('run-a'))?.costUsd).toBe(0);
  });
});

describe('the Postgres journal schema version', () => {
  it('migrates an empty database to this build’s version once; migrating again changes nothing', async () => {
    const schema = server.freshSchema();
    expect(await migratePostgresJournal({ url: server.url, schema })).toMatchObject({
      from: 0,
      to: POSTGRES_SCHEMA_VERSION,
    });
    const journal = await openPostgresJournal({ url: server.url, schema });
    await journal.createRun(sampleRun('run-a'));
    expect(await migratePostgresJournal({ url: server.url, schema })).toMatchObject({
      from: POSTGRES_SCHEMA_VERSION,
      to: POSTGRES_SCHEMA_VERSION,
    });
    expect((await journal.getRun('run-a'))?.runId).toBe('run-a');
    const versions = await server.sql(`SELECT version FROM "${schema}".schema_version ORDER BY version`);
    expect(versions.rows.map((row) => row.version)).toEqual(
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, index) => index + 1),
    );
    await journal.close();
  });

  it('refuses a database with no journal yet, naming `phasewise db migrate`, and creates nothing', async () => {
    const schema = server.freshSchema();
    const error = await openPostgresJournal({ url: server.url, schema }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).message).toMatch(/holds no phasewise journal in schema pw_test_\w+ yet/);
    expect((error as JournalError).hint).toContain('phasewise db migrate');
    expect((error as JournalError).exitCode).toBe(2);
    const found = await server.sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    expect(found.rowCount).toBe(0);
  });

  it('refuses a database migrated by a newer phasewise, and migrate does not touch it', async () => {
    const schema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema });
    const newer = POSTGRES_SCHEMA_VERSION + 1;
    await server.sql(`INSERT INTO "${schema}".schema_version (version) VALUES ($1)`, [newer]);
    await expect(openPostgresJournal({ url: server.url, schema })).rejects.toThrow(
      new RegExp(
        `newer phasewise, to version ${newer} of the journal schema; this build uses version ${POSTGRES_SCHEMA_VERSION}`,
      ),
    );
    await expect(migratePostgresJournal({ url: server.url, schema })).rejects.toThrow(JournalError);
  });

  it('refuses an older version, naming `phasewise db migrate`', async () => {
    const schema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema });
    await server.sql(`DELETE FROM "${schema}".schema_version WHERE version = $1`, [POSTGRES_SCHEMA_VERSION]);
    const error = await openPostgresJournal({ url: server.url, schema }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).hint).toContain('phasewise db migrate');
  });
});
