/**
 * `phasewise action`: what `action.yml` runs in a GitHub Action. From the event (`github/action-event.ts`) it
 * takes a task, runs it isolated (`run --worktree`, on `phasewise/<run-id>`) with the keys the workflow passes
 * as environment variables, opens the pull request (`phasewise pr`) when the run succeeds, and posts the run's
 * Markdown report as a comment on the issue. The repository is GITHUB_REPOSITORY; the API, GITHUB_API_URL.
 */
import { buildReport, reportMarkdown } from '../../report/index.js';
import { createRedactor } from '../../util/redact.js';
import { readActionEvent } from '../github/action-event.js';
import { gitHubClient } from '../github/github-client.js';
import { parseRepositoryOption } from '../github/repository-name.js';
import { locateJournal, openJournalFor } from '../journal-choice.js';
import { type PublishedPull, publishPullRequest } from './pr.js';
import { runCommand } from './run.js';

export interface ActionOptions {
  config?: string;
  budget?: number;
}

export async function actionCommand(options: ActionOptions): Promise<number> {
  const env = process.env;
  const request = readActionEvent(env);
  if (request.kind === 'none') {
    process.stderr.write(`nothing to do: ${request.why}\n`);
    return 0;
  }
  const repository = parseRepositoryOption(env.GITHUB_REPOSITORY ?? '', 'GITHUB_REPOSITORY');
  const token = env.GITHUB_TOKEN ?? '';
  const redactor = createRedactor({ env, extraSecrets: token === '' ? [] : [token] });
  const client = gitHubClient({
    token,
    repository,
    apiUrl: env.GITHUB_API_URL,
    redact: (text) => redactor.redact(text),
  });
  const before = await newestRunId(options);
  let code: number;
  try {
    code = await runCommand(request.task, { ...options, worktree: true, yes: true });
  } catch (error) {
    await client.comment(
      request.issue,
      redactor.redact(`phasewise could not run the task: ${(error as Error).message}`),
    );
    throw error;
  }
  const runId = await newestRunId(options);
  if (runId === undefined || runId === before) return code;
  let pull: PublishedPull | undefined;
  if (code === 0) {
    pull = await publishPullRequest(
      runId,
      { ...options, repo: `${repository.owner}/${repository.repo}`, extraBody: `From #${request.issue}.` },
      env,
    );
    process.stderr.write(`${pull.action} pull request #${pull.number}: ${pull.url}\n`);
  }
  const report = await reportOf(runId, options);
  const head = pull === undefined ? '' : `Pull request: ${pull.url}\n\n`;
  const url = await client.comment(request.issue, `${head}${report}`);
  process.stderr.write(`posted the report on #${request.issue}: ${url}\n`);
  return code;
}

async function newestRunId(options: ActionOptions): Promise<string | undefined> {
  const { workspace, settings } = locateJournal(options);
  const journal = await openJournalFor(workspace, settings, {}, 'create');
  try {
    return (await journal.listRuns())[0]?.runId;
  } finally {
    await journal.close();
  }
}

async function reportOf(runId: string, options: ActionOptions): Promise<string> {
  const { workspace, settings } = locateJournal(options);
  const journal = await openJournalFor(workspace, settings, {}, 'read');
  try {
    const run = await journal.getRun(runId);
    return run === undefined
      ? `run ${runId}: not in the journal`
      : reportMarkdown(await buildReport(journal, run));
  } finally {
    await journal.close();
  }
}
