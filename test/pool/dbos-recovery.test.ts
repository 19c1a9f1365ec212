/**
 * Recovery of a dead executor's workflows through real DBOS on a throwaway Postgres: executor A starts a
 * workflow that blocks after its first step and is killed (SIGKILL); a second process, DBOS launched as B,
 * recovers A's workflows and the workflow finishes there, its first step replayed from A's record, not run
 * again. Also: the clear error when DBOS is not launched in the calling process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbosRecoveryError, recoverDeadExecutors } from '../../src/pool/dbos-recovery.js';
import { finished, printed } from '../journal/support/child-process.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { startDbosChild } from './support/dbos-process.js';

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe('recovering a dead DBOS executor', () => {
  it('finishes a killed executor’s workflow on another one, replaying its recorded step', async () => {
    const schema = `dbos_${server.freshSchema()}`;
    const workflowId = 'run-1.1';
    const killed = startDbosChild(['block', server.url, schema, 'executor-a', workflowId]);
    const killedResult = finished(killed);
    await printed(killed, 'blocked');
    killed.kill('SIGKILL');
    expect((await killedResult).signal).toBe('SIGKILL');

    const status = await server.sql(
      `SELECT status, executor_id FROM "${schema}".workflow_status WHERE workflow_uuid = $1`,
      [workflowId],
    );
    expect(status.rows).toEqual([{ status: 'PENDING', executor_id: 'executor-a' }]);

    const rescuer = startDbosChild(['recover', server.url, schema, 'executor-b', 'executor-a', workflowId]);
    const rescued = await finished(rescuer);
    expect(rescued.stderr).toBe('');
    const lines = rescued.stdout.split('\n').filter((line) => line !== '');
    expect([...lines].sort()).toEqual([
      'finished first step by executor-a; finished by executor-b',
      `recovered ${workflowId}`,
      'result first step by executor-a; finished by executor-b',
    ]);
    const after = await server.sql(
      `SELECT status, executor_id FROM "${schema}".workflow_status WHERE workflow_uuid = $1`,
      [workflowId],
    );
    expect(after.rows).toEqual([{ status: 'SUCCESS', executor_id: 'executor-b' }]);
  }, 90_000);

  it('says DBOS must be launched in this process before anything can be recovered', async () => {
    const failure = await recoverDeadExecutors(['executor-a']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DbosRecoveryError);
    expect((failure as DbosRecoveryError).message).toBe(
      'cannot recover dead workers: DBOS is not launched in this process',
    );
    expect(await recoverDeadExecutors([])).toEqual([]);
  });
});
