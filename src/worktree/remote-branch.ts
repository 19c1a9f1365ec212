/**
 * A branch and the repository's `origin` remote, for `phasewise pr`: whether the branch exists here, origin's
 * URL and default branch, and pushing the branch there. Credentials come only through `env` (git's
 * `GIT_CONFIG_*` variables), never on a command line; git never prompts.
 */
import { tryGit } from './git.js';

const NO_PROMPT = { GIT_TERMINAL_PROMPT: '0' };

export async function hasBranch(top: string, branch: string): Promise<boolean> {
  const found = await tryGit(top, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  return found.exitCode === 0;
}

/** Whether git already sends an extra HTTP header (actions/checkout's credentials, say) for some URL. */
export async function hasExtraHeader(top: string): Promise<boolean> {
  const found = await tryGit(top, ['config', '--includes', '--get-regexp', '^http\\..*extraheader$']);
  return found.exitCode === 0 && found.stdout.trim() !== '';
}

/** origin's URL, or undefined when there is no origin. */
export async function originUrl(top: string): Promise<string | undefined> {
  const url = (await tryGit(top, ['remote', 'get-url', 'origin'])).stdout.trim();
  return url === '' ? undefined : url;
}

/** origin's HEAD branch (`git ls-remote --symref origin HEAD`), or undefined when it does not say. */
export async function originDefaultBranch(
  top: string,
  env: Record<string, string> = {},
): Promise<string | undefined> {
  const listed = await tryGit(top, ['ls-remote', '--symref', 'origin', 'HEAD'], {
    env: { ...env, ...NO_PROMPT },
  });
  const match = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(listed.stdout);
  return listed.exitCode === 0 ? match?.[1] : undefined;
}

/** Pushes the branch to origin under the same name (forced: it is phasewise's own); git's message on failure. */
export async function pushBranch(
  top: string,
  branch: string,
  env: Record<string, string> = {},
): Promise<{ ok: true } | { ok: false; message: string }> {
  const ref = `refs/heads/${branch}`;
  const pushed = await tryGit(top, ['push', '--quiet', '--force', 'origin', `${ref}:${ref}`], {
    env: { ...env, ...NO_PROMPT },
  });
  return pushed.exitCode === 0
    ? { ok: true }
    : { ok: false, message: pushed.stderr.trim() || pushed.stdout.trim() };
}
