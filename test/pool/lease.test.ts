/**
 * Leases against a real Postgres, with short leases: a live worker recovers a silent peer only after the peer's
 * lease has expired on the database's clock, never while it renews; a worker cut off from the database (a proxy
 * that resets its connections) is told it lost its lease within a lease of its last renewal; a worker whose
 * lease a peer claimed is told at its next renewal; a failed recovery is given back and tried again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkerRegistry, type WorkerRegistry } from '../../src/journal/index.js';
import { type Lease, type LeaseLogEntry, type LeaseOptions, startLease } from '../../src/pool/lease.js';
import { postgresForFile } from '../journal/support/postgres-server.js';
import { startTcpProxy } from './support/tcp-proxy.js';

// Short enough for a quick test, long enough that a loaded 2-core machine renews well within it.
const leaseMs = 900;

const db = postgresForFile();

const registries: WorkerRegistry[] = [];
const leases: Lease[] = [];

afterEach(async () => {
  for (const lease of leases.splice(0)) await lease.stop({ leaveForRecovery: true });
  for (const registry of registries.splice(0)) await registry.close().catch(() => {});
});

async function registry(schema: string, url = db.server.url): Promise<WorkerRegistry> {
  const opened = await openWorkerRegistry({ url, schema, timeoutMs: leaseMs / 3 });
  registries.push(opened);
  return opened;
}

async function lease(options: Partial<LeaseOptions> & Pick<LeaseOptions, 'registry' | 'workerId'>) {
  const started = await startLease({
    appVersion: 'v1',
    leaseMs,
    recover: async () => {},
    onLost: () => {},
    log: () => {},
    ...options,
  });
  leases.push(started);
  return started;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a worker lease', () => {
  it('refuses a lease too short to renew, before touching the database', async () => {
    const untouched = new Proxy({} as WorkerRegistry, {
      get: () => {
        throw new Error('the registry was used');
      },
    });
    for (const bad of [0, 10, Number.NaN]) {
      await expect(
        startLease({
          registry: untouched,
          workerId: 'w',
          appVersion: 'v1',
          leaseMs: bad,
          recover: async () => {},
          onLost: () => {},
        }),
      ).rejects.toThrow(
        new RegExp(`the worker lease must be a number of milliseconds, at least 30 \\(got ${bad}\\)`),
      );
    }
  });

  it('recovers a silent peer once its lease expired on the database clock, never while it renews', async () => {
    const schema = await db.migratedSchema();
    const recovered: string[][] = [];
    const peer = await lease({ registry: await registry(schema), workerId: 'peer' });
    await lease({
      registry: await registry(schema),
      workerId: 'rescuer',
      recover: async (ids) => {
        recovered.push(ids);
      },
    });
    await sleep(leaseMs * 3);
    expect(recovered).toEqual([]);

    await peer.stop({ leaveForRecovery: true });
    const deadline = Date.now() + leaseMs * 5;
    while (recovered.length === 0 && Date.now() < deadline) await sleep(20);
    expect(recovered).toEqual([['peer']]);
    const rows = await db.server.sql(
      `SELECT recovered_by, extract(epoch FROM recovered_at - heartbeat_at) * 1000 AS silent_ms
       FROM "${schema}".workers WHERE worker_id = 'peer'`,
    );
    const [row] = rows.rows as { recovered_by: string; silent_ms: string }[];
    expect(row?.recovered_by).toBe('rescuer');
    expect(Number(row?.silent_ms)).toBeGreaterThanOrEqual(leaseMs);
    expect(Number(row?.silent_ms)).toBeLessThan(leaseMs * 2);
  }, 20_000);

  it('is lost within a lease of its last renewal when the database is cut off, logging why without the password', async () => {
    const schema = await db.migratedSchema();
    const { port, password } = new URL(db.server.url);
    const proxy = await startTcpProxy(Number(port));
    const url = new URL(db.server.url);
    url.port = String(proxy.port);
    const logged: LeaseLogEntry[] = [];
    let lostAt: number | undefined;
    let reason = '';
    await lease({
      registry: await registry(schema, url.toString()),
      workerId: 'cut-off',
      log: (entry) => logged.push(entry),
      onLost: (why) => {
        lostAt = performance.now();
        reason = why;
      },
    });
    await sleep(leaseMs * 2);
    expect(lostAt).toBeUndefined();
    const cutAt = performance.now();
    await proxy.cut();
    while (lostAt === undefined && performance.now() - cutAt < leaseMs * 4) await sleep(10);
    expect(lostAt).toBeDefined();
    // The last renewal was sent before the cut: the lease is given up at most a lease after it, plus timer lag.
    expect((lostAt ?? 0) - cutAt).toBeLessThanOrEqual(leaseMs + 250);
    // …and not before: renewals go every third of a lease, so the last one was sent at most that long before it.
    expect((lostAt ?? 0) - cutAt).toBeGreaterThanOrEqual(leaseMs - leaseMs / 3 - 50);
    expect(reason).toMatch(
      new RegExp(
        `could not renew it within ${leaseMs} ms \\(\\d+ failed attempts; last: .*cannot reach Postgres`,
      ),
    );
    expect(
      logged.some((entry) => entry.level === 'warn' && /could not renew the lease/.test(entry.message)),
    ).toBe(true);
    expect(JSON.stringify(logged)).not.toContain(password);
  }, 20_000);

  it('is lost at its next renewal once a peer has claimed it', async () => {
    const schema = await db.migratedSchema();
    let reason = '';
    await lease({
      registry: await registry(schema),
      workerId: 'claimed',
      onLost: (why) => {
        reason = why;
      },
    });
    await db.server.sql(`UPDATE "${schema}".workers SET recovered_by = 'peer' WHERE worker_id = 'claimed'`);
    await sleep(leaseMs);
    expect(reason).toMatch(/a peer found it expired/);
  });

  it('gives back a claim whose recovery failed, so it is tried again; a clean stop is never recovered', async () => {
    const schema = await db.migratedSchema();
    const calls: string[][] = [];
    const gone = await lease({ registry: await registry(schema), workerId: 'gone' });
    const done = await lease({ registry: await registry(schema), workerId: 'done' });
    await lease({
      registry: await registry(schema),
      workerId: 'rescuer',
      recover: async (ids) => {
        calls.push(ids);
        if (calls.length === 1) throw new Error('DBOS is busy');
      },
    });
    await done.stop();
    await gone.stop({ leaveForRecovery: true });
    const deadline = Date.now() + leaseMs * 6;
    while (calls.length < 2 && Date.now() < deadline) await sleep(20);
    expect(calls).toEqual([['gone'], ['gone']]);
    const rows = await db.server.sql(
      `SELECT worker_id, recovered_by, stopped_at IS NOT NULL AS stopped FROM "${schema}".workers ORDER BY worker_id`,
    );
    expect(rows.rows).toEqual([
      { worker_id: 'done', recovered_by: null, stopped: true },
      { worker_id: 'gone', recovered_by: 'rescuer', stopped: false },
      { worker_id: 'rescuer', recovered_by: null, stopped: false },
    ]);
  }, 20_000);
});
