/**
 * `phasewise worker [--concurrency N --work-dir DIR]`: execute queued runs (`phasewise submit`) from the shared
 * Postgres journal until stopped. Each execution runs in `<work-dir>/<run-id>`, a clone of the run's
 * repository, with the configuration committed there, exactly as `phasewise run` would run it (same models,
 * tools, redaction). Ctrl-C or SIGTERM stops cleanly: running runs are interrupted and queued again for any
 * worker. Progress (which run started, how it ended) goes to stderr.
 */
import { resolve } from 'node:path';
import type { ResolvedWorkflow } from '../../config/index.js';
import { loadWorkflow } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { runWorkflow } from '../../orchestrator/index.js';
import { applicationVersion, type ExecuteRun, startWorker } from '../../pool/index.js';
import { unpricedModel } from '../../provider/index.js';
import { databaseUrl } from '../database-url.js';
import { withGoverningFilesProtected } from '../governing-files.js';
import { locateJournal, sharedDatabaseUrl } from '../journal-choice.js';
import { cliRunParts, requireSandbox } from './run.js';

export interface WorkerCommandOptions {
  databaseUrl?: string;
  concurrency?: number;
  globalConcurrency?: number;
  workDir?: string;
}

export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  // --database-url, else the configuration's shared journal here, else PHASEWISE_DATABASE_URL.
  const url = sharedDatabaseUrl(locateJournal(options).settings, options) ?? databaseUrl(options.databaseUrl);
  const log = (line: string) => process.stderr.write(line);
  const version = applicationVersion();
  const worker = await startWorker({
    url,
    concurrency: options.concurrency ?? 1,
    ...(options.globalConcurrency === undefined ? {} : { globalConcurrency: options.globalConcurrency }),
    workDir: resolve(options.workDir ?? '.phasewise/worker'),
    version,
    executeRun: executeWithCliParts,
    log,
  });
  log(
    `worker ${worker.executorId} (version ${version}, concurrency ${options.concurrency ?? 1}) waiting for runs; Ctrl-C stops it\n`,
  );
  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      log(`worker ${worker.executorId}: ${signal}: stopping (running runs are queued again)\n`);
      worker.stop().then(done, (error: unknown) => {
        log(
          `worker ${worker.executorId}: stopping failed: ${error instanceof Error ? error.message : error}\n`,
        );
        done();
      });
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  log(`worker ${worker.executorId} stopped\n`);
  return 0;
}

/** One execution, as `phasewise resume` runs a run: the configuration committed in the fetched repository. */
const executeWithCliParts: ExecuteRun = async ({ runId, workspace, journal, abortSignal }) => {
  const stored = (await journal.getRun(runId))?.workflow as ResolvedWorkflow | undefined;
  const budgetUsd = stored?.overrides?.budgetUsd;
  const loaded = loadWorkflow({
    cwd: workspace,
    ...(budgetUsd === undefined ? {} : { budgetUsd }),
    checkModel: unpricedModel,
  });
  const workflow = withGoverningFilesProtected(loaded, workspace);
  requireSandbox(workflow);
  const parts = cliRunParts(workflow);
  // The engine journals the workflow redacted, and runs the workflow it journaled: a workspace path the
  // redactor takes for a secret (random letters of a temporary folder) would be lost. Said, not run.
  if (parts.redactor !== undefined && parts.redactor.redact(workspace) !== workspace) {
    throw new UsageError(
      `the workspace path ${JSON.stringify(workspace)} looks like a secret to the redactor`,
      {
        hint: 'give the worker a plainer --work-dir (words, not random letters)',
      },
    );
  }
  const outcome = await runWorkflow({
    workflow,
    journal,
    ...parts,
    abortSignal,
    // The stored workflow is the submitter's (its paths on that machine): this worktree's replaces it.
    resume: { runId, force: true },
  });
  return { status: outcome.status, message: outcome.message };
};
