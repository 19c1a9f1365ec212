/**
 * `phasewise worker [--concurrency N --work-dir DIR]`: execute queued runs (`phasewise submit`) from the shared
 * Postgres journal until stopped. Each execution runs in `<work-dir>/<run-id>`, a clone of the run's
 * repository, with the configuration committed there, exactly as `phasewise run` would run it (same models,
 * tools, redaction). Ctrl-C or SIGTERM stops cleanly: running runs are interrupted and queued again for any
 * worker. Progress (which run started, how it ended) goes to stderr.
 */
import { resolve } from 'node:path';
import type { ResolvedWorkflow } from '../../config/index.js';
import { loadWorkflow, parseDuration } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { openPostgresAdmissions } from '../../journal/index.js';
import { runWorkflow } from '../../orchestrator/index.js';
import {
  applicationVersion,
  type ExecuteRun,
  leaseExtension,
  startWorker,
  type Worker,
} from '../../pool/index.js';
import { type AdmissionStore, unpricedModel } from '../../provider/index.js';
import { remoteCheckpoints, requireRepository } from '../../worktree/index.js';
import { databaseUrl } from '../database-url.js';
import { withGoverningFilesProtected } from '../governing-files.js';
import { locateJournal, sharedDatabaseUrl } from '../journal-choice.js';
import { cliMcpServers } from '../mcp-servers.js';
import { openCliRateLimiter } from '../rate-limits.js';
import { cliRunParts, requireSandbox } from '../run-parts.js';
import { openRunTelemetry } from '../run-telemetry.js';

export interface WorkerCommandOptions {
  databaseUrl?: string;
  concurrency?: number;
  globalConcurrency?: number;
  workDir?: string;
  /** `--lease`: a duration (`30s`, `1m`, `1500ms`). */
  lease?: string;
}

const DEFAULT_LEASE_MS = 30_000;

export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  // --database-url, else the configuration's shared journal here, else PHASEWISE_DATABASE_URL.
  const url = sharedDatabaseUrl(locateJournal(options).settings, options) ?? databaseUrl(options.databaseUrl);
  const log = (line: string) => process.stderr.write(line);
  const version = applicationVersion();
  const leaseMs = leaseOf(options.lease);
  // One admissions store for the process (one holder renews the slots of every run's calls), opened by the
  // first run that has rate limits: a database unreachable at start is reported by the worker's own connection.
  let admissions: Promise<AdmissionStore> | undefined;
  const admissionStore = () => {
    admissions ??= openPostgresAdmissions({ url });
    return admissions;
  };
  const closeAdmissions = async () => (await admissions?.catch(() => undefined))?.close();
  let worker: Worker;
  try {
    worker = await startWorker({
      url,
      concurrency: options.concurrency ?? 1,
      ...(options.globalConcurrency === undefined ? {} : { globalConcurrency: options.globalConcurrency }),
      workDir: resolve(options.workDir ?? '.phasewise/worker'),
      version,
      executeRun: executeWithCliParts(admissionStore),
      log,
      extensions: [
        leaseExtension({
          url,
          leaseMs,
          log,
          onLost: (reason) => {
            // Its journal writes are fenced already, and a live peer recovers its runs: stop at once, as a crash would.
            log(`worker: the lease is lost (${reason}); exiting so a live worker takes the runs over\n`);
            process.exit(1);
          },
        }),
      ],
    });
  } catch (error) {
    await closeAdmissions();
    throw error;
  }
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
  await closeAdmissions();
  log(`worker ${worker.executorId} stopped\n`);
  return 0;
}

function leaseOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LEASE_MS;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (error) {
    throw new UsageError(`--lease: ${(error as Error).message}`);
  }
  if (ms < 500 || ms > 600_000)
    throw new UsageError(`--lease must be from 0.5 s to 10 minutes, got "${value}"`);
  return ms;
}

/**
 * One execution, as `phasewise resume` runs a run: the configuration committed in the fetched repository, the
 * provider rate limits shared through the database, and the workspace shared through checkpoints pushed to the
 * repository, so that a worker taking the run over elsewhere finds the files as the journal left them.
 */
const executeWithCliParts =
  (admissions: () => Promise<AdmissionStore>): ExecuteRun =>
  async ({ runId, workspace, journal, abortSignal }) => {
    const stored = (await journal.getRun(runId))?.workflow as ResolvedWorkflow | undefined;
    const budgetUsd = stored?.overrides?.budgetUsd;
    const loaded = loadWorkflow({
      cwd: workspace,
      ...(budgetUsd === undefined ? {} : { budgetUsd }),
      checkModel: unpricedModel,
    });
    const workflow = withGoverningFilesProtected(loaded, workspace);
    requireSandbox(workflow);
    const rateLimiter = await openCliRateLimiter(workflow, { store: admissions });
    const parts = cliRunParts(workflow, rateLimiter);
    const mcpServers = cliMcpServers(workflow, parts.redactor);
    const telemetry = await openRunTelemetry(workflow, parts.redactor);
    try {
      const outcome = await runWorkflow({
        workflow,
        journal,
        ...parts,
        ...(mcpServers === undefined ? {} : { roleTools: mcpServers.toolsFor }),
        onEvent: (event) => telemetry.onEvent(event),
        abortSignal,
        workspaceCheckpoints: remoteCheckpoints({
          repository: await requireRepository(workspace, 'share the run’s workspace'),
          remote: 'origin',
          runId,
          now: () => new Date(),
        }),
        // The stored workflow is the submitter's (its paths on that machine): this worktree's replaces it.
        resume: { runId, force: true },
      });
      return { status: outcome.status, message: outcome.message };
    } finally {
      await telemetry.close();
      await rateLimiter?.close();
      await mcpServers?.close();
    }
  };
