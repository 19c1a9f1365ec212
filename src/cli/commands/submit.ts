/**
 * `phasewise submit [TASK] [--repo URL --ref COMMIT]`: queue a run in the shared Postgres journal for a
 * worker (`phasewise worker`) and print its id. The configuration is checked here, before anything is
 * written; the run executes with the configuration committed in the repository at the commit, on a worker
 * that holds the models' keys. Refused, with what to do, when the journal is the workspace's SQLite file.
 */
import { execFileSync } from 'node:child_process';
import { loadWorkflow } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { workflowHash } from '../../orchestrator/index.js';
import { submitQueuedRun } from '../../pool/index.js';
import { unpricedModel } from '../../provider/index.js';
import { databaseUrl } from '../database-url.js';
import { cliRedactor } from '../secrets.js';
import { readTaskArgument } from '../workspace.js';

export interface SubmitCommandOptions {
  config?: string;
  budget?: number;
  databaseUrl?: string;
  repo?: string;
  ref?: string;
}

export async function submitCommand(
  task: string | undefined,
  options: SubmitCommandOptions,
): Promise<number> {
  const cwd = process.cwd();
  const workflow = loadWorkflow({
    cwd,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.budget === undefined ? {} : { budgetUsd: options.budget }),
    checkModel: unpricedModel,
  });
  const url =
    options.databaseUrl !== undefined
      ? databaseUrl(options.databaseUrl)
      : workflow.journal?.kind === 'postgres'
        ? databaseUrl(undefined, workflow.journal.urlEnv)
        : undefined;
  if (url === undefined) {
    throw new UsageError(
      'submit queues runs in the shared Postgres journal, and this one is the workspace’s SQLite file',
      {
        hint: 'pass --database-url (or set PHASEWISE_DATABASE_URL with `journal: { kind: postgres }` in phasewise.yaml); to run here, on this machine, use `phasewise run`',
      },
    );
  }
  const taskText = task !== undefined ? readTaskArgument(task, cwd) : workflow.task?.text;
  if (taskText === undefined || taskText.trim() === '') {
    throw new UsageError('no task given', {
      hint: 'pass it as `phasewise submit "<task>"` (text or a file), or set `task:` in phasewise.yaml',
    });
  }
  const repo = options.repo ?? currentRepository(cwd);
  const ref = options.ref ?? (options.repo === undefined ? gitOutput(cwd, ['rev-parse', 'HEAD']) : 'HEAD');
  const redactor = cliRedactor(workflow);
  const stored = redactor.redactDeep(workflow);
  const submitted = await submitQueuedRun({
    url,
    repo,
    ref,
    run: {
      createdAt: new Date().toISOString(),
      task: redactor.redact(taskText),
      workspace: repo,
      workflow: stored,
      workflowHash: workflowHash(stored),
    },
  });
  process.stderr.write(
    `queued run ${submitted.runId} (${repo} at ${ref}, version ${submitted.version}) in ${submitted.location}; a \`phasewise worker\` of that version runs it\n`,
  );
  process.stdout.write(`${submitted.runId}\n`);
  return 0;
}

/** The current repository: its `origin` remote when it has one, else its top-level folder. */
function currentRepository(cwd: string): string {
  const top = gitOutput(cwd, ['rev-parse', '--show-toplevel']);
  try {
    return gitOutput(top, ['remote', 'get-url', 'origin']);
  } catch {
    return top;
  }
}

function gitOutput(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new UsageError(`\`git ${args.join(' ')}\` failed in ${cwd}: submit needs a git repository`, {
      hint: 'run it inside the repository the run works on, or pass --repo URL (and --ref COMMIT)',
    });
  }
}
