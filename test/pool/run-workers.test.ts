/**
 * Where each run's worker stands, read from a real Postgres: a run still marked running whose worker went silent
 * past its lease is said to wait for a live worker, not shown as if someone were running it.
 */
import { describe, expect, it } from 'vitest';
import { workerText } from '../../src/cli/queued-runs.js';
import { openWorkerRegistry } from '../../src/journal/index.js';
import { workersOfRuns } from '../../src/pool/index.js';
import { postgresForFile } from '../journal/support/postgres-server.js';

const db = postgresForFile();

async function runHeldBy(schema: string, runId: string, workerId: string): Promise<void> {
  await db.server.sql(
    `INSERT INTO "${schema}".runs (run_id, created_at, updated_at, status, task, workspace, workflow_json, workflow_hash, worker_id)
     VALUES ($1, '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z', 'running', 'task', '/w', '{}', 'h', $2)`,
    [runId, workerId],
  );
}

describe('the workers of runs', () => {
  it('tells a live lease from an expired, a stopped and a recovered one, and a worker whose row is gone', async () => {
    const schema = await db.migratedSchema();
    const registry = await openWorkerRegistry({ url: db.server.url, schema });
    const worker = (workerId: string) => ({ workerId, host: 'h', pid: 1, appVersion: 'v1', leaseMs: 10_000 });
    try {
      for (const id of ['live', 'silent', 'stopped', 'claimed', 'claimer'])
        await registry.register(worker(id));
      await registry.markStopped('stopped');
      const silence = (id: string) =>
        db.server.sql(
          `UPDATE "${schema}".workers SET heartbeat_at = now() - interval '45 seconds' WHERE worker_id = $1`,
          [id],
        );
      await silence('claimed');
      expect(await registry.claimDead('claimer', 'v1')).toEqual(['claimed']);
      await silence('silent');
      for (const id of ['live', 'silent', 'stopped', 'claimed']) await runHeldBy(schema, `run-${id}`, id);
      await runHeldBy(schema, 'run-gone', 'gone');
    } finally {
      await registry.close();
    }
    const workers = await workersOfRuns(db.server.url, schema);
    expect(Object.fromEntries([...workers].map(([run, w]) => [run, w.lease]))).toEqual({
      'run-live': 'live',
      'run-silent': 'expired',
      'run-stopped': 'stopped',
      'run-claimed': 'recovered',
      'run-gone': 'unknown',
    });
    const silent = workers.get('run-silent')!;
    expect(silent.silentMs).toBeGreaterThanOrEqual(45_000);
    expect(workerText(silent, 'running')).toMatch(
      /^silent \(silent 4\d(\.\d)?s, lease expired: a live worker/,
    );
    expect(workerText(silent, 'succeeded')).toBe('silent');
    expect(workerText(workers.get('run-live')!, 'running')).toBe('live');
  });
});
