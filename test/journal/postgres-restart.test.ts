/**
 * A Postgres restart under a run that keeps writing: the journal waits the restart out, and every step, start
 * mark and event lands exactly once (no step recorded twice, none marked re-executed, no event lost or doubled,
 * the run's cost the sum of its steps). With retrying off, the same restart fails the write with a clear error
 * naming host and port and never the password: the retry is what carries the run across.
 */
import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/index.js';
import { type Journal, migratePostgresJournal, openPostgresJournal } from '../../src/journal/index.js';
import { sampleEvents, sampleRun, sampleStep } from './contract/samples.js';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';

const script = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));
const run = promisify(execFile);

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

/** Restarts the server without blocking this process, so the journal keeps writing meanwhile. */
const restartServer = () => run('bash', [script, 'restart', server.url]);

async function lockedRun(retryForMs?: number): Promise<{ journal: Journal; runId: string }> {
  const schema = server.freshSchema();
  await migratePostgresJournal({ url: server.url, schema });
  const journal = await openPostgresJournal({
    url: server.url,
    schema,
    ...(retryForMs === undefined ? {} : { retry: { forMs: retryForMs, firstDelayMs: 50, maxDelayMs: 500 } }),
  });
  const runId = `run-${schema}`;
  await journal.createRun(sampleRun(runId));
  await journal.acquireLock(runId, {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: 't',
  });
  return { journal, runId };
}

function progressEvent(runId: string, index: number): RunEvent {
  const template = sampleEvents(runId).find((event) => event.type === 'phase-start');
  if (template === undefined) throw new Error('the samples have no phase-start event');
  return { ...template, at: new Date(Date.UTC(2026, 2, 1, 10, 0, 0, index)).toISOString() };
}

/** One step the way a run takes it: start mark, record, then a progress event. */
async function takeStep(journal: Journal, runId: string, index: number): Promise<void> {
  const key = `implementation/step-${String(index).padStart(4, '0')}/model`;
  const step = sampleStep(runId, key, 0.001);
  await journal.startStep({ ...step, pid: process.pid });
  await journal.recordStep(step);
  await journal.appendEvent(progressEvent(runId, index));
}

describe('the Postgres journal across a server restart', () => {
  it('waits the restart out: every step, mark and event lands once', async () => {
    const { journal, runId } = await lockedRun();
    let restarted: Promise<unknown> | undefined;
    let done = false;
    let total = 0;
    try {
      // Write through the whole restart (the server goes down and comes back meanwhile), then some more.
      for (let after = 0; after < 20; total++) {
        if (total === 20) {
          restarted = restartServer().finally(() => {
            done = true;
          });
        }
        await takeStep(journal, runId, total);
        if (done) after++;
        else if (restarted !== undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await restarted;

      const steps = await journal.listSteps(runId);
      expect(steps).toHaveLength(total);
      expect(new Set(steps.map((step) => step.key)).size).toBe(total);
      expect(steps.filter((step) => step.reexecuted)).toEqual([]);
      expect(await journal.listUnfinishedSteps(runId)).toEqual([]);
      const events = await journal.listEvents(runId);
      expect(events.map((event) => event.at)).toEqual(
        Array.from({ length: total }, (_, index) => progressEvent(runId, index).at),
      );
      expect((await journal.getRun(runId))?.costUsd).toBeCloseTo(total * 0.001, 9);
    } finally {
      await restarted?.catch(() => {});
      await journal.close();
    }
  }, 120_000);

  it('without retrying, the same restart fails a write, naming host and port and not the password', async () => {
    const { journal, runId } = await lockedRun(0);
    const password = new URL(server.url).password;
    let failure: unknown;
    try {
      await takeStep(journal, runId, 0);
      let done = false;
      const restarted = restartServer().finally(() => {
        done = true;
      });
      for (let index = 1; !done && failure === undefined; index++) {
        failure = await takeStep(journal, runId, index).then(
          () => undefined,
          (error: unknown) => error,
        );
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await restarted;
      expect(failure).toBeInstanceOf(Error);
      const message = (failure as Error).message;
      expect(message).toContain(`127.0.0.1:${new URL(server.url).port}`);
      expect(message).not.toContain(password);
    } finally {
      await journal.close();
    }
  }, 120_000);
});
