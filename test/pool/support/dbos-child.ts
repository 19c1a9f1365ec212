/**
 * A DBOS process for the recovery test, one executor each: DBOS keeps its state per process, and a dead worker
 * can only be shown by killing one.
 *
 *   node --import tsx dbos-child.ts block <url> <schema> <executorId> <workflowId>
 *     starts the workflow, prints `blocked` once its first step is recorded, then waits for ever (to be killed)
 *   node --import tsx dbos-child.ts recover <url> <schema> <executorId> <deadExecutorId> <workflowId>
 *     recovers the dead executor's workflows, prints `recovered <ids>`, then `result <value>` when it finishes
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { recoverDeadExecutors } from '../../../src/pool/dbos-recovery.js';

const [mode = '', url = '', schema = '', executorId = '', ...rest] = process.argv.slice(2);

DBOS.setConfig({
  name: 'phasewise-recovery-test',
  systemDatabaseUrl: url,
  systemDatabaseSchemaName: schema,
  executorID: executorId,
  applicationVersion: 'test-v1',
  logLevel: 'error',
});

const firstStep = async (): Promise<string> => `first step by ${executorId}`;

const blockingWorkflow = DBOS.registerWorkflow(
  async (): Promise<string> => {
    const first = await DBOS.runStep(firstStep, { name: 'first' });
    if (mode === 'block') {
      process.stdout.write('blocked\n');
      await new Promise(() => {});
    }
    return `${first}; finished by ${executorId}`;
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
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
