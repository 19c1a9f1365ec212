/**
 * A DBOS process for the recovery tests, one executor each: DBOS keeps its state per process, and a dead worker
 * can only be shown by killing one.
 *
 *   node --import tsx dbos-child.ts block <url> <schema> <executorId> <workflowId>
 *     starts the workflow, prints `blocked` once its first step is recorded, then waits for ever (to be killed)
 *   node --import tsx dbos-child.ts recover <url> <schema> <executorId> <deadExecutorId> <workflowId>
 *     recovers the dead executor's workflows, prints `recovered <ids>`, then `result <value>` when it finishes
 *   node --import tsx dbos-child.ts worker <url> <schema> <executorId> <journalSchema> <leaseMs> [workflowId]
 *     a pool worker: DBOS launched, a lease whose worker id is the executor id and whose recovery is
 *     dbos-recovery's; prints `ready`, `recovered <dead> <ids>` for what it recovers, `finished <value>` when the
 *     workflow ends here; with a workflow id it starts that workflow, which blocks here (`blocked`)
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { openWorkerRegistry } from '../../../src/journal/index.js';
import { recoverDeadExecutors } from '../../../src/pool/dbos-recovery.js';
import { startLease } from '../../../src/pool/lease.js';

const [mode = '', url = '', schema = '', executorId = '', ...rest] = process.argv.slice(2);

DBOS.setConfig({
  name: 'phasewise-recovery-test',
  systemDatabaseUrl: url,
  systemDatabaseSchemaName: schema,
  executorID: executorId,
  applicationVersion: 'test-v1',
  logLevel: 'error',
  // The first process migrated DBOS's schema; processes launched together must not migrate at once.
  runMigrations: process.env.PHASEWISE_TEST_DBOS_MIGRATE !== 'no',
});

const [workerJournalSchema = '', workerLeaseMs = '', workerWorkflowId] = mode === 'worker' ? rest : [];
const blocksHere = mode === 'block' || (mode === 'worker' && workerWorkflowId !== undefined);

const firstStep = async (): Promise<string> => `first step by ${executorId}`;

const blockingWorkflow = DBOS.registerWorkflow(
  async (): Promise<string> => {
    const first = await DBOS.runStep(firstStep, { name: 'first' });
    if (blocksHere) {
      process.stdout.write('blocked\n');
      await new Promise(() => {});
    }
    const result = `${first}; finished by ${executorId}`;
    process.stdout.write(`finished ${result}\n`);
    return result;
  },
  { name: 'blocking-workflow' },
);

await DBOS.launch();
if (mode === 'block') {
  const [workflowId = ''] = rest;
  await DBOS.startWorkflow(blockingWorkflow, { workflowID: workflowId })();
} else if (mode === 'recover') {
  const [deadExecutorId = '', workflowId = ''] = rest;
  const recovered = await recoverDeadExecutors([deadExecutorId]);
  process.stdout.write(`recovered ${recovered.join(',')}\n`);
  const result = await DBOS.retrieveWorkflow<string>(workflowId).getResult();
  process.stdout.write(`result ${result}\n`);
  await DBOS.shutdown();
  process.exit(0);
} else if (mode === 'worker') {
  const registry = await openWorkerRegistry({ url, schema: workerJournalSchema, timeoutMs: 500 });
  await startLease({
    registry,
    workerId: executorId,
    appVersion: 'test-v1',
    leaseMs: Number(workerLeaseMs),
    recover: async (dead) => {
      const ids = await recoverDeadExecutors(dead);
      process.stdout.write(`recovered ${dead.join(',')} ${ids.join(',')}\n`);
    },
    onLost: (reason) => {
      process.stderr.write(`lost: ${reason}\n`);
      process.exit(3);
    },
    log: () => {},
  });
  if (workerWorkflowId !== undefined) {
    await DBOS.startWorkflow(blockingWorkflow, { workflowID: workerWorkflowId })();
  }
  process.stdout.write('ready\n');
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
