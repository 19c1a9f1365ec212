/**
 * Which GitHub repository a pull request goes to: `--repo owner/name`, or the `origin` remote's URL in its https
 * (`https://github.com/owner/name.git`) or ssh forms (`git@github.com:owner/name.git`,
 * `ssh://git@github.com/owner/name`). Any host is accepted, for GitHub Enterprise.
 */
import { UsageError } from '../../errors/index.js';

export interface RepositoryName {
  owner: string;
  repo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/** `owner/name` as given to `--repo` (or GITHUB_REPOSITORY); a clear error otherwise. */
export function parseRepositoryOption(value: string, from = '--repo'): RepositoryName {
  const [owner = '', repo = '', ...rest] = value.trim().split('/');
  if (rest.length > 0 || !NAME.test(owner) || !NAME.test(repo)) {
    throw new UsageError(
      `${from} expects owner/name (such as octo-org/widgets), got ${JSON.stringify(value)}`,
    );
  }
  return { owner, repo: repo.replace(/\.git$/, '') };
}

/** The owner and name in a remote URL, or undefined when it is not a host/owner/name URL (a local path). */
export function repositoryFromRemote(url: string): RepositoryName | undefined {
  const trimmed = url.trim();
  const scp = /^[\w.-]+@[\w.-]+:(?!\/)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(trimmed);
  const web = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(trimmed);
  const match = scp ?? web;
  if (match === null) return undefined;
  const [, owner = '', repo = ''] = match;
  return NAME.test(owner) && NAME.test(repo) ? { owner, repo } : undefined;
}
