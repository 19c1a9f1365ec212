/**
 * The run lock across machines in a pool of workers: a lock whose worker's lease is alive is refused to another
 * host; once that lease has expired (or the worker stopped, or a peer recovered it) any host takes the run over,
 * and the old holder's next write is fenced. A lock without a worker keeps the old rules.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RunLockedError, RunTakenOverError } from '../../src/errors/index.js';
import {
  type Journal,
  migratePostgresJournal,
  openPostgresJournal,
  openWorkerRegistry,
  type WorkerRegistry,
} from '../../src/journal/index.js';
import { sampleRun, sampleStep } from './contract/samples.js';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

const opened: Array<Journal | WorkerRegistry> = [];

afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
});

/** Two "hosts" on one schema: host-a runs worker-a, which holds run-1 with this (live) process's pid. */
async function twoHosts(options: { holderIsWorker?: boolean } = {}) {
  const schema = server.freshSchema();
  await migratePostgresJournal({ url: server.url, schema });
  const registry = await openWorkerRegistry({ url: server.url, schema });
  opened.push(registry);
  await registry.register({
    workerId: 'worker-a',
    host: 'host-a',
    pid: process.pid,
    appVersion: 'v1',
    leaseMs: 1_000,
  });
  await registry.register({
    workerId: 'worker-b',
    host: 'host-b',
    pid: 4242,
    appVersion: 'v1',
    leaseMs: 1_000,
  });
  const first = await openPostgresJournal({
    url: server.url,
    schema,
    hostname: 'host-a',
    ...(options.holderIsWorker === false ? {} : { workerId: 'worker-a' }),
  });
  const second = await openPostgresJournal({
    url: server.url,
    schema,
    hostname: 'host-b',
    workerId: 'worker-b',
  });
  opened.push(first, second);
  await first.createRun(sampleRun('run-1'));
  await first.acquireLock('run-1', { pid: process.pid, host: 'host-a', since: 'then', token: 'a' });
  const takeOver = () => second.acquireLock('run-1', { pid: 4242, host: 'host-b', since: 'now', token: 'b' });
  const workerOfLock = async () =>
    (await server.sql(`SELECT worker_id FROM "${schema}".locks WHERE run_id = 'run-1'`)).rows[0]?.worker_id;
  const silence = (ms: number) =>
    server.sql(
      `UPDATE "${schema}".workers SET heartbeat_at = now() - $1 * interval '1 millisecond' WHERE worker_id = 'worker-a'`,
      [ms],
    );
  return { schema, registry, first, second, takeOver, workerOfLock, silence };
}

describe('the Postgres run lock held by a pool worker', () => {
  it('is refused to another host while the worker’s lease is alive, and taken over once it expired', async () => {
    const { first, second, takeOver, workerOfLock, silence } = await twoHosts();
    expect(await workerOfLock()).toBe('worker-a');
    await silence(900);
    await expect(takeOver()).rejects.toThrow(RunLockedError);
    await silence(1_100);
    await takeOver();
    expect(await workerOfLock()).toBe('worker-b');
    expect((await second.getLockHolder('run-1'))?.token).toBe('b');
    await expect(first.recordStep(sampleStep('run-1', 'research/a1/t1/model', 0.01))).rejects.toThrow(
      RunTakenOverError,
    );
    await second.recordStep(sampleStep('run-1', 'research/a1/t1/model', 0.02));
    expect((await second.getStep('run-1', 'research/a1/t1/model'))?.costUsd).toBe(0.02);
  });

  it('is taken over from a worker a peer recovered, or one marked stopped, though their leases are fresh', async () => {
    const recovered = await twoHosts();
    expect(await recovered.registry.claimDead('worker-b', 'v1')).toEqual([]);
    await server.sql(
      `UPDATE "${recovered.schema}".workers SET recovered_by = 'worker-b', recovered_at = now() WHERE worker_id = 'worker-a'`,
    );
    await recovered.takeOver();

    const stopped = await twoHosts();
    await stopped.registry.markStopped('worker-a');
    await stopped.takeOver();
    expect((await stopped.second.getLockHolder('run-1'))?.host).toBe('host-b');
  });

  it('keeps the old rules for a lock without a worker: another host is refused however long it waits', async () => {
    const { takeOver, workerOfLock, silence } = await twoHosts({ holderIsWorker: false });
    expect(await workerOfLock()).toBeNull();
    await silence(60_000);
    await expect(takeOver()).rejects.toThrow(RunLockedError);
  });
});
