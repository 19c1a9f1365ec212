/**
 * The git repository a fanned-out phase works in. The workspace may be the top of a work tree or a folder inside
 * one: worktrees are always of the whole repository, and an item's workspace is the same folder inside its
 * worktree (`prefix`). A workspace git does not track (no repository, or a folder the repository ignores) is
 * refused, since its items could not be isolated or merged.
 */
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { WorktreeError } from '../errors/index.js';
import { mayBeInGit } from '../util/may-be-in-git.js';
import { tryGit } from './git.js';

export interface Repository {
  /** The workspace, as a real path. */
  workspace: string;
  /** The top of its work tree, as a real path. */
  top: string;
  /** The workspace's place below `top`: `''` at the top, else `sub/dir/`. */
  prefix: string;
}

export async function requireRepository(
  workspace: string,
  phaseId: string,
  signal?: AbortSignal,
): Promise<Repository> {
  const root = await realpath(workspace).catch(() => workspace);
  // No .git in or above it: git would say the same, after a fork that blocks the event loop.
  if (!mayBeInGit(root)) throw notARepository(root, phaseId);
  const options = signal === undefined ? {} : { signal };
  const found = await tryGit(
    root,
    ['rev-parse', '--is-inside-work-tree', '--show-toplevel', '--show-prefix'],
    options,
  );
  const [inside, top, prefix] = found.stdout.split('\n');
  if (found.exitCode !== 0 || inside !== 'true' || top === undefined || top === '')
    throw notARepository(root, phaseId);
  if (prefix !== '') {
    const ignored = await tryGit(root, ['check-ignore', '-q', '--', '.'], options);
    if (ignored.exitCode === 0) throw notARepository(root, phaseId, true);
  }
  return { workspace: root, top: await realpath(top), prefix: prefix ?? '' };
}

/** The same folder of the workspace inside a worktree of its repository. */
export function workspaceIn(worktree: string, repository: Repository): string {
  return repository.prefix === '' ? worktree : join(worktree, repository.prefix.replace(/\/$/, ''));
}

function notARepository(root: string, phaseId: string, ignored = false): WorktreeError {
  const needs = `phase \`${phaseId}\` fans out over work items, each in its own git worktree, so the workspace must be`;
  return ignored
    ? new WorktreeError(
        'not_a_repository',
        `${needs} tracked by git: ${root} is in a folder its repository ignores; stop ignoring it, or set \`fan_out: off\``,
      )
    : new WorktreeError(
        'not_a_repository',
        `${needs} a git repository: run \`git init && git add -A && git commit -m init\` in ${root}, or set \`fan_out: off\``,
      );
}
