/**
 * `phasewise pr <run>`: pushes an isolated run's branch (`phasewise/<run-id>`, made by `run --worktree`) to the
 * `origin` remote and opens a pull request on GitHub whose body is the run's Markdown report; run again, it
 * updates that pull request (found by its head branch) instead of opening another. The token is `GITHUB_TOKEN`;
 * it is handed to git through the environment, never on a command line, and hidden in every message.
 */
import { UsageError } from '../../errors/index.js';
import type { RunRecord } from '../../journal/index.js';
import { buildReport, reportMarkdown } from '../../report/index.js';
import { createRedactor } from '../../util/redact.js';
import { runBranchName } from '../../util/run-branch.js';
import {
  hasBranch,
  hasExtraHeader,
  originDefaultBranch,
  originUrl,
  pushBranch,
  requireRepository,
} from '../../worktree/index.js';
import { gitHubClient, type PullRequest } from '../github/github-client.js';
import {
  parseRepositoryOption,
  type RepositoryName,
  repositoryFromRemote,
} from '../github/repository-name.js';
import { type JournalOptions, locateJournal, openJournalFor } from '../journal-choice.js';
import type { WorkspaceOptions } from '../workspace.js';

export interface PrOptions extends WorkspaceOptions, JournalOptions {
  repo?: string;
  base?: string;
  json?: boolean;
}

export interface PublishedPull extends PullRequest {
  action: 'opened' | 'updated';
  branch: string;
}

export async function prCommand(runId: string, options: PrOptions): Promise<number> {
  const pull = await publishPullRequest(runId, options, process.env);
  if (options.json === true) process.stdout.write(`${JSON.stringify(pull)}\n`);
  else process.stdout.write(`${pull.action} pull request #${pull.number} for ${pull.branch}: ${pull.url}\n`);
  return 0;
}

/** Pushes the run's branch and opens (or updates) its pull request; also what the GitHub Action calls. */
export async function publishPullRequest(
  runId: string,
  options: PrOptions & { extraBody?: string },
  env: Record<string, string | undefined>,
): Promise<PublishedPull> {
  const token = env.GITHUB_TOKEN ?? '';
  if (token.trim() === '') {
    throw new UsageError('`phasewise pr` needs a GitHub token in GITHUB_TOKEN', {
      hint: 'export GITHUB_TOKEN=<a token with contents and pull-requests write> (in Actions: secrets.GITHUB_TOKEN)',
    });
  }
  const redactor = createRedactor({ env, extraSecrets: [token] });
  const redact = (text: string) => redactor.redact(text);
  const { workspace, settings } = locateJournal(options);
  const journal = await openJournalFor(workspace, settings, options, 'read');
  let run: RunRecord;
  let body: string;
  try {
    run = await finishedIsolatedRun(journal, runId);
    body = reportMarkdown(await buildReport(journal, run));
  } finally {
    await journal.close();
  }
  const repository = await requireRepository(workspace, 'pr').catch(() => {
    throw new UsageError(`${workspace} is not in a git repository`, {
      hint: 'run `phasewise pr` in the repository the run was made in',
    });
  });
  const branch = runBranchName(runId);
  if (!(await hasBranch(repository.top, branch))) {
    throw new UsageError(`the run's branch ${branch} is not in this repository`, {
      hint: 'it is made when an isolated run succeeds; was it deleted, or the run made in another clone?',
    });
  }
  const remote = await originUrl(repository.top);
  if (remote === undefined) {
    throw new UsageError('this repository has no `origin` remote to push the branch to', {
      hint: 'add one: git remote add origin https://github.com/OWNER/NAME.git',
    });
  }
  const name = repositoryNameOf(options.repo, remote);
  await push(repository.top, remote, branch, token, redact);
  const client = gitHubClient({ token, repository: name, apiUrl: env.GITHUB_API_URL, redact });
  const title =
    run.task
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? `phasewise run ${runId}`;
  const fullBody = options.extraBody === undefined ? body : `${options.extraBody}\n\n${body}`;
  const existing = await client.findPull(branch);
  if (existing !== undefined) {
    const updated = await client.updatePull(existing.number, { title, body: fullBody });
    return { ...updated, action: 'updated', branch };
  }
  const base = options.base ?? (await originDefaultBranch(repository.top)) ?? (await client.defaultBranch());
  const opened = await client.openPull({ head: branch, base, title, body: fullBody });
  return { ...opened, action: 'opened', branch };
}

async function finishedIsolatedRun(
  journal: { getRun(runId: string): Promise<RunRecord | undefined>; location: string },
  runId: string,
): Promise<RunRecord> {
  const run = await journal.getRun(runId);
  if (run === undefined)
    throw new UsageError(`no run ${runId} in ${journal.location}`, {
      hint: 'list runs with `phasewise runs`',
    });
  if ((run.workflow as { isolation?: string }).isolation !== 'worktree') {
    throw new UsageError(`run ${runId} was not isolated: its work is in the workspace, not on a branch`, {
      hint: 'start runs meant for a pull request with `phasewise run --worktree` (or `isolation: worktree`)',
    });
  }
  if (run.status !== 'succeeded') {
    throw new UsageError(`run ${runId} is ${run.status}, not finished: its branch holds no work yet`, {
      hint: `see it with \`phasewise status ${runId}\`; a pull request is opened once it succeeds`,
    });
  }
  return run;
}

function repositoryNameOf(option: string | undefined, remote: string): RepositoryName {
  if (option !== undefined) return parseRepositoryOption(option);
  const name = repositoryFromRemote(remote);
  if (name === undefined) {
    throw new UsageError(
      'cannot tell the GitHub repository from the origin remote (not an https or ssh URL)',
      {
        hint: 'name it: phasewise pr <run> --repo OWNER/NAME',
      },
    );
  }
  return name;
}

/**
 * An https remote gets the token as an extra header from the environment (as actions/checkout does), unless git
 * already sends one (a checkout that kept its credentials): two Authorization headers would be refused.
 */
async function push(
  top: string,
  remote: string,
  branch: string,
  token: string,
  redact: (text: string) => string,
): Promise<void> {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  const env: Record<string, string> =
    /^https?:\/\//.test(remote) && !(await hasExtraHeader(top))
      ? {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'http.extraheader',
          GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
        }
      : {};
  const pushed = await pushBranch(top, branch, env);
  if (!pushed.ok) {
    const said = pushed.message.replaceAll(basic, '[REDACTED]');
    throw new UsageError(redact(`git could not push ${branch} to origin: ${said}`), {
      hint: 'check that the token may push to the repository (contents: write) and that origin is reachable',
    });
  }
}
