/**
 * Submitting on a throwaway Postgres, through the pool's own functions: the run's journal row and its DBOS
 * queue entry are written together or not at all; the next execution is queued once for two answers at once,
 * and refused for a run already on the queue; DBOS's log lines never show the database password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgresJournal } from '../../src/journal/index.js';
import { redactingDbosLogger } from '../../src/pool/dbos-logger.js';
import { createRunQueueClient, migrateDbosSystemDatabase } from '../../src/pool/dbos-runtime.js';
import { connectPoolDatabase, type PoolDatabase } from '../../src/pool/pool-database.js';
import { queueNextExecution, submitRun } from '../../src/pool/submit-run.js';
import { createRedactor } from '../../src/util/redact.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function migrated(name: string): Promise<{ url: string; database: PoolDatabase }> {
  await server.sql(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  await migratePostgresJournal({ url: url.toString() });
  await migrateDbosSystemDatabase(url.toString());
  return { url: url.toString(), database: await connectPoolDatabase(url.toString()) };
}

const run = {
  createdAt: '2026-12-06T10:00:00.000Z',
  task: 'Add a health endpoint',
  workspace: '/srv/repo.git',
  workflow: { version: 1 },
  workflowHash: 'h',
};

async function queueRows(database: PoolDatabase, runId: string): Promise<string[]> {
  const result = await database.pool.query<{ workflow_uuid: string }>(
    'SELECT workflow_uuid FROM dbos.workflow_status WHERE workflow_uuid LIKE $1 ORDER BY workflow_uuid',
    [`${runId}.%`],
  );
  return result.rows.map((row) => row.workflow_uuid);
}

describe('submitting a queued run', () => {
  it('writes the run and its queue entry together, or neither', async () => {
    const { database } = await migrated(`pw_submit_${process.pid}_1`);
    const queue = await createRunQueueClient(database);
    try {
      const first = await submitRun({
        database,
        queue,
        run,
        repo: '/srv/repo.git',
        ref: 'HEAD',
        version: '1.0.0',
        generateRunId: () => 'run-a',
      });
      expect(first).toEqual({ runId: 'run-a', workflowId: 'run-a.1' });
      expect(await queueRows(database, 'run-a')).toEqual(['run-a.1']);
      const status = await database.pool.query('SELECT status, execution FROM phasewise.runs');
      expect(status.rows).toEqual([{ status: 'queued', execution: 1 }]);

      // The queue already holds run-a.1 (its journal row gone): the enqueue is refused after the row was
      // written, and the row is rolled back with it.
      await database.pool.query("DELETE FROM phasewise.runs WHERE run_id = 'run-a'");
      await expect(
        submitRun({
          database,
          queue,
          run,
          repo: '/srv/repo.git',
          ref: 'HEAD',
          version: '1.0.0',
          generateRunId: () => 'run-a',
        }),
      ).rejects.toThrow();
      const rows = await database.pool.query("SELECT 1 FROM phasewise.runs WHERE run_id = 'run-a'");
      expect(rows.rowCount).toBe(0);
    } finally {
      await queue.destroy();
      await database.pool.end();
    }
  }, 60_000);

  it('queues the next execution once for two answers at once, and refuses a run already queued', async () => {
    const { database } = await migrated(`pw_submit_${process.pid}_2`);
    const queue = await createRunQueueClient(database);
    try {
      await submitRun({
        database,
        queue,
        run,
        repo: '/srv/repo.git',
        ref: 'HEAD',
        version: '1.0.0',
        generateRunId: () => 'run-b',
      });
      await expect(queueNextExecution(database, queue, 'run-b', '1.0.0')).rejects.toThrow(/already queued/);
      await database.pool.query("UPDATE phasewise.runs SET status = 'halted'");
      const answers = await Promise.allSettled([
        queueNextExecution(database, queue, 'run-b', '1.0.0'),
        queueNextExecution(database, queue, 'run-b', '1.0.0'),
      ]);
      expect(answers.filter((answer) => answer.status === 'fulfilled').map((answer) => answer.value)).toEqual(
        ['run-b.2'],
      );
      expect(await queueRows(database, 'run-b')).toEqual(['run-b.1', 'run-b.2']);
      // Answered by a newer phasewise, the run stays with its own version's workers.
      await database.pool.query("UPDATE phasewise.runs SET status = 'halted'");
      await queueNextExecution(database, queue, 'run-b', '2.0.0');
      const versions = await database.pool.query(
        "SELECT application_version FROM dbos.workflow_status WHERE workflow_uuid = 'run-b.3'",
      );
      expect(versions.rows).toEqual([{ application_version: '1.0.0' }]);
    } finally {
      await queue.destroy();
      await database.pool.end();
    }
  }, 60_000);
});

describe("DBOS's logger", () => {
  it('redacts the password from every line it writes, and keeps info lines for PHASEWISE_DEBUG', () => {
    const lines: string[] = [];
    const logger = redactingDbosLogger(
      createRedactor({ env: {}, extraSecrets: ['s3cr3t-pw'] }),
      (line) => lines.push(line),
      false,
    );
    logger.info('connected to postgresql://u@h:5432/db?password=s3cr3t-pw');
    logger.warn('retrying postgresql://u@h:5432/db?password=s3cr3t-pw');
    logger.error(new Error('failed with s3cr3t-pw'));
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('s3cr3t-pw');
    expect(lines[0]).toMatch(/^dbos warning: retrying/);
  });
});
