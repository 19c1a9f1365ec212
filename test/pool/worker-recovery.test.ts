/**
 * Leases and DBOS recovery together, as the worker will wire them: three worker processes (DBOS executor id =
 * worker id) on one throwaway Postgres; the one running a workflow is killed (SIGKILL), and once its lease has
 * expired exactly one of the two live workers claims it and puts its workflow back on the queue, where one live
 * worker (either) finishes it, its recorded step replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgresJournal } from '../../src/journal/index.js';
import { type ChildResult, finished, printed } from '../journal/support/child-process.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { startDbosChild } from './support/dbos-process.js';

const leaseMs = 1_500;

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a pool worker killed mid-run', () => {
  it('is claimed by exactly one live worker after its lease, and its workflow finished once on a live worker', async () => {
    const journalSchema = server.freshSchema();
    await migratePostgresJournal({ url: server.url, schema: journalSchema });
    const dbosSchema = `dbos_${journalSchema}`;
    const workflowId = 'run-1.1';
    const worker = (id: string, extra: string[], migrate: boolean) =>
      startDbosChild(['worker', server.url, dbosSchema, id, journalSchema, String(leaseMs), ...extra], {
        migrate,
      });

    const doomed = worker('worker-a', [workflowId], true);
    const doomedResult = finished(doomed);
    await printed(doomed, 'blocked');
    const rescuers = [worker('worker-b', [], false), worker('worker-c', [], false)];
    const results: Promise<ChildResult>[] = rescuers.map((rescuer) => finished(rescuer));
    await Promise.all(rescuers.map((rescuer) => printed(rescuer, 'ready')));

    doomed.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await doomedResult).signal).toBe('SIGKILL');
    let status: { status: string; executor_id: string } | undefined;
    while (Date.now() - killedAt < 20_000) {
      const rows = await server.sql(
        `SELECT status, executor_id FROM "${dbosSchema}".workflow_status WHERE workflow_uuid = $1`,
        [workflowId],
      );
      status = rows.rows[0] as typeof status;
      if (status?.status === 'SUCCESS') break;
      await sleep(100);
    }
    for (const rescuer of rescuers) rescuer.kill('SIGTERM');
    const outputs = await Promise.all(results);

    expect(status?.status).toBe('SUCCESS');
    const executorId = status?.executor_id ?? '';
    expect(['worker-b', 'worker-c']).toContain(executorId);
    const claims = await server.sql(
      `SELECT worker_id, recovered_by, extract(epoch FROM recovered_at - heartbeat_at) * 1000 AS silent_ms
       FROM "${journalSchema}".workers WHERE recovered_by IS NOT NULL`,
    );
    expect(claims.rows).toHaveLength(1);
    const claim = claims.rows[0] as { worker_id: string; recovered_by: string; silent_ms: string };
    expect(claim.worker_id).toBe('worker-a');
    expect(['worker-b', 'worker-c']).toContain(claim.recovered_by);
    expect(Number(claim.silent_ms)).toBeGreaterThanOrEqual(leaseMs);

    // The claimer puts the workflow back on its queue; whichever live worker dequeues it runs it, once.
    const said = outputs.flatMap((output, index) =>
      output.stdout
        .split('\n')
        .filter((line) => line !== '' && line !== 'ready')
        .map((line) => `${index === 0 ? 'worker-b' : 'worker-c'}: ${line}`),
    );
    expect(said.sort()).toEqual(
      [
        `${claim.recovered_by}: recovered worker-a ${workflowId}`,
        `${executorId}: finished first step by worker-a; finished by ${executorId}`,
      ].sort(),
    );
    for (const output of outputs) expect(output.stderr).toBe('');
  }, 60_000);
});
