/**
 * The few GitHub REST calls phasewise makes, through `@octokit/rest`: the repository's default branch, the open
 * pull request of a head branch, opening or updating one, and commenting on an issue. The API's base URL comes
 * from `GITHUB_API_URL` (as GitHub Actions set it; tests point it at a fake API on 127.0.0.1). A failed call
 * becomes a `UsageError` that explains 401, 403, 404 and 422 and never holds the token.
 */
import { Octokit } from '@octokit/rest';
import { UsageError } from '../../errors/index.js';
import type { RepositoryName } from './repository-name.js';

export interface PullRequest {
  number: number;
  url: string;
}

export interface GitHubClient {
  defaultBranch(): Promise<string>;
  findPull(head: string): Promise<PullRequest | undefined>;
  openPull(pull: { head: string; base: string; title: string; body: string }): Promise<PullRequest>;
  updatePull(number: number, pull: { title: string; body: string }): Promise<PullRequest>;
  comment(issue: number, body: string): Promise<string>;
}

export interface GitHubClientOptions {
  token: string;
  repository: RepositoryName;
  /** `GITHUB_API_URL`; https://api.github.com when absent. */
  apiUrl?: string | undefined;
  /** Hides the token (and any other secret) in error messages. */
  redact: (text: string) => string;
}

/** GitHub refuses pull request bodies longer than this. */
export const MAX_BODY_CHARS = 65_000;

export function gitHubClient(options: GitHubClientOptions): GitHubClient {
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/$/, ''),
    userAgent: 'phasewise',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: { retries: 0 },
  });
  const { owner, repo } = options.repository;
  const call = <T>(what: string, request: () => Promise<T>) => explained(what, request, options);
  return {
    defaultBranch: async () =>
      (await call('read the repository', () => octokit.rest.repos.get({ owner, repo }))).data.default_branch,
    findPull: async (head) => {
      const { data } = await call('list pull requests', () =>
        octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, state: 'open', per_page: 10 }),
      );
      const pull = data.find((entry) => entry.head.ref === head);
      return pull === undefined ? undefined : { number: pull.number, url: pull.html_url };
    },
    openPull: async (pull) => {
      const { data } = await call('open the pull request', () =>
        octokit.rest.pulls.create({ owner, repo, ...pull, body: bounded(pull.body) }),
      );
      return { number: data.number, url: data.html_url };
    },
    updatePull: async (number, pull) => {
      const { data } = await call('update the pull request', () =>
        octokit.rest.pulls.update({ owner, repo, pull_number: number, ...pull, body: bounded(pull.body) }),
      );
      return { number: data.number, url: data.html_url };
    },
    comment: async (issue, body) => {
      const { data } = await call('comment on the issue', () =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body: bounded(body) }),
      );
      return data.html_url;
    },
  };
}

function bounded(body: string): string {
  return body.length <= MAX_BODY_CHARS
    ? body
    : `${body.slice(0, MAX_BODY_CHARS)}\n\n… (cut: the full report is \`phasewise report <run> --format md\`)\n`;
}

const HINTS: Record<number, string> = {
  401: 'GitHub did not accept the token: check that GITHUB_TOKEN holds a valid, unexpired token',
  403: 'the token may not do this: it needs contents: write, pull-requests: write and issues: write (see docs/github.md)',
  404: 'no such repository for this token: check --repo (or the origin remote) and that the token can see it',
  422: 'GitHub refused the request as given (e.g. no commits between the base and the branch, or a base branch that does not exist): check --base',
};

async function explained<T>(
  what: string,
  request: () => Promise<T>,
  options: GitHubClientOptions,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const apiMessage = apiMessageOf(error);
    const code = typeof status === 'number' ? status : undefined;
    const said =
      code === undefined ? (error as Error).message : `${code}${apiMessage ? `: ${apiMessage}` : ''}`;
    throw new UsageError(options.redact(`GitHub refused to ${what} (${said})`), {
      hint:
        (code !== undefined && HINTS[code]) || `is ${options.apiUrl ?? 'https://api.github.com'} reachable?`,
    });
  }
}

/** GitHub's own explanation: its `message` and each error's `message` or `code`. */
function apiMessageOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } }).response?.data as
    | { message?: string; errors?: { message?: string; code?: string; field?: string }[] }
    | undefined;
  if (data === undefined || typeof data !== 'object') return '';
  const details = (data.errors ?? []).map(
    (entry) => entry.message ?? `${entry.field ?? ''} ${entry.code ?? ''}`,
  );
  return [data.message, ...details].filter((part) => part !== undefined && part.trim() !== '').join('; ');
}
