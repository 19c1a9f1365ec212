/**
 * The workers table against a real Postgres: leases measured on the database's clock, and claims of dead peers
 * that two registries (each with its own pool) race for round after round — every dead worker claimed exactly
 * once, live, stopped and other-version workers never.
 */
import { describe, expect, it } from 'vitest';
import { JournalError } from '../../src/errors/index.js';
import { openWorkerRegistry, type WorkerRegistry } from '../../src/journal/index.js';
import { closedPort } from '../support/closed-port.js';
import { postgresForFile } from './support/postgres-server.js';

const db = postgresForFile();

const worker = (workerId: string, leaseMs = 60_000, appVersion = 'v1') => ({
  workerId,
  host: 'host-a',
  pid: 4242,
  appVersion,
  leaseMs,
});

/** Moves a worker's last heartbeat `ms` into the past, as if it had been silent that long. */
async function silence(schema: string, workerId: string, ms: number): Promise<void> {
  await db.server.sql(
    `UPDATE "${schema}".workers SET heartbeat_at = now() - $2 * interval '1 millisecond' WHERE worker_id = $1`,
    [workerId, ms],
  );
}

describe('the Postgres workers table', () => {
  it('claims a silent worker only once its own lease has passed, and a claimed worker cannot renew', async () => {
    const schema = await db.migratedSchema();
    const registry = await openWorkerRegistry({ url: db.server.url, schema });
    try {
      await registry.register(worker('live'));
      await registry.register(worker('quiet', 10_000));
      await silence(schema, 'quiet', 9_000);
      expect(await registry.claimDead('live', 'v1')).toEqual([]);
      await silence(schema, 'quiet', 11_000);
      expect(await registry.claimDead('live', 'v1')).toEqual(['quiet']);
      expect(await registry.claimDead('live', 'v1')).toEqual([]);
      expect(await registry.renew('quiet')).toBe(false);
      expect(await registry.renew('live')).toBe(true);
      const rows = await db.server.sql(
        `SELECT recovered_by, recovered_at IS NOT NULL AS stamped FROM "${schema}".workers WHERE worker_id = 'quiet'`,
      );
      expect(rows.rows).toEqual([{ recovered_by: 'live', stamped: true }]);
    } finally {
      await registry.close();
    }
  });

  it('never claims a stopped worker, one of another version, or itself', async () => {
    const schema = await db.migratedSchema();
    const registry = await openWorkerRegistry({ url: db.server.url, schema });
    try {
      await registry.register(worker('me', 1_000));
      await registry.register(worker('stopped', 1_000));
      await registry.register(worker('older', 1_000, 'v0'));
      await registry.markStopped('stopped');
      for (const id of ['me', 'stopped', 'older']) await silence(schema, id, 5_000);
      expect(await registry.claimDead('me', 'v1')).toEqual([]);
      expect(await registry.renew('stopped')).toBe(false);
    } finally {
      await registry.close();
    }
  });

  it('gives released claims back to the next claimer', async () => {
    const schema = await db.migratedSchema();
    const registry = await openWorkerRegistry({ url: db.server.url, schema });
    try {
      await registry.register(worker('dead', 1_000));
      await silence(schema, 'dead', 5_000);
      expect(await registry.claimDead('a', 'v1')).toEqual(['dead']);
      await registry.releaseClaims('b', ['dead']);
      expect(await registry.claimDead('b', 'v1')).toEqual([]);
      await registry.releaseClaims('a', ['dead']);
      expect(await registry.claimDead('b', 'v1')).toEqual(['dead']);
    } finally {
      await registry.close();
    }
  });

  it('lets two claimers racing with their own pools claim each dead worker exactly once, round after round', async () => {
    const schema = await db.migratedSchema();
    const registries: WorkerRegistry[] = [
      await openWorkerRegistry({ url: db.server.url, schema }),
      await openWorkerRegistry({ url: db.server.url, schema }),
    ];
    try {
      for (let round = 0; round < 12; round += 1) {
        const dead = Array.from({ length: 1 + (round % 4) }, (_, index) => `r${round}-dead-${index}`);
        for (const id of dead) await registries[0]?.register(worker(id, 1_000));
        await registries[0]?.register(worker(`r${round}-alive`, 60_000));
        for (const id of dead) await silence(schema, id, 2_000);
        const [first = [], second = []] = await Promise.all(
          registries.map((registry, index) => registry.claimDead(`claimer-${index}`, 'v1')),
        );
        expect([...first, ...second].sort()).toEqual(dead);
        expect(first.filter((id) => second.includes(id))).toEqual([]);
        const claimed = await db.server.sql(
          `SELECT worker_id, recovered_by FROM "${schema}".workers WHERE worker_id = ANY($1::text[])`,
          [dead],
        );
        for (const row of claimed.rows as { worker_id: string; recovered_by: string }[]) {
          const winner = first.includes(row.worker_id) ? 'claimer-0' : 'claimer-1';
          expect(row.recovered_by).toBe(winner);
        }
      }
    } finally {
      for (const registry of registries) await registry.close();
    }
  }, 30_000);

  it('refuses an unmigrated database and names an unreachable one without its password', async () => {
    await expect(openWorkerRegistry({ url: db.server.url, schema: db.server.freshSchema() })).rejects.toThrow(
      /holds no phasewise journal/,
    );
    const url = `postgresql://phasewise:s3cret-pass@127.0.0.1:${await closedPort()}/phasewise`;
    const failure = await openWorkerRegistry({ url, timeoutMs: 500 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JournalError);
    expect(String((failure as Error).message)).toMatch(/cannot reach Postgres at 127\.0\.0\.1/);
    expect(JSON.stringify(failure)).not.toContain('s3cret-pass');
    expect(String((failure as Error).message)).not.toContain('s3cret-pass');
  });
});

describe('finished workers', () => {
  it('are forgotten a retention period after they stopped or were recovered, when a worker registers', async () => {
    const schema = await db.migratedSchema();
    const registry = await openWorkerRegistry({ url: db.server.url, schema });
    try {
      for (const id of ['old-stop', 'new-stop', 'old-claimed', 'silent-long'])
        await registry.register(worker(id));
      await registry.markStopped('old-stop');
      await registry.markStopped('new-stop');
      await db.server.sql(
        `UPDATE "${schema}".workers SET stopped_at = now() - interval '8 days' WHERE worker_id = 'old-stop'`,
      );
      await db.server.sql(
        `UPDATE "${schema}".workers SET recovered_by = 'x', recovered_at = now() - interval '8 days'
          WHERE worker_id = 'old-claimed'`,
      );
      // Silent for long but never claimed: its runs still wait for recovery, so it stays.
      await db.server.sql(
        `UPDATE "${schema}".workers SET heartbeat_at = now() - interval '30 days' WHERE worker_id = 'silent-long'`,
      );
      await registry.register(worker('newcomer'));
      const rows = await db.server.sql(`SELECT worker_id FROM "${schema}".workers ORDER BY worker_id`);
      expect(rows.rows.map((row) => row.worker_id)).toEqual(['new-stop', 'newcomer', 'silent-long']);
    } finally {
      await registry.close();
    }
  });
});
