/**
 * A workspace-changing phase's changes for the phase cache: recorded as a binary patch between the git trees it
 * started from and ended at, and re-applied to a workspace whose tree is the one it started from, then verified:
 * the workspace must come out at exactly the recorded tree, or the patch is taken back out and the phase runs.
 * Only in a git workspace (outside git, a workspace-changing phase is not cached).
 */
import { snapshotWorkspace, type WorkspaceSnapshot } from '../tools/workspace-snapshot.js';
import { git, tryGit } from '../worktree/git.js';

/** The binary patch from tree `before` to tree `after` (both of the workspace's folder, as snapshots take them). */
export async function recordChanges(workspace: string, before: string, after: string): Promise<string> {
  return git(workspace, ['diff', '--binary', '--no-color', '--no-ext-diff', '--no-renames', before, after]);
}

export type ApplyChangesResult = { applied: true } | { applied: false; reason: string };

/**
 * Applies `changes` to the workspace, then checks its tree is `expectedTree`; a patch that does not apply
 * changes nothing (git applies all or none), one that applies to another tree is reversed.
 */
export async function applyChanges(
  workspace: string,
  prefix: string,
  changes: string,
  expectedTree: string,
  signal?: AbortSignal,
): Promise<ApplyChangesResult> {
  if (changes === '') return verify(workspace, expectedTree, signal);
  const top = (await git(workspace, ['rev-parse', '--show-toplevel'])).trim();
  const directory = prefix === '' ? [] : [`--directory=${prefix.replace(/\/$/, '')}`];
  const apply = ['apply', '--binary', '--whitespace=nowarn', ...directory];
  const options = { input: changes, ...(signal === undefined ? {} : { signal }) };
  const applied = await tryGit(top, apply, options);
  if (applied.exitCode !== 0)
    return { applied: false, reason: `the recorded changes do not apply: ${applied.stderr.trim()}` };
  const verified = await verify(workspace, expectedTree, signal);
  if (!verified.applied) await tryGit(top, [...apply.slice(0, 1), '-R', ...apply.slice(1)], options);
  return verified;
}

async function verify(
  workspace: string,
  expectedTree: string,
  signal?: AbortSignal,
): Promise<ApplyChangesResult> {
  const now: WorkspaceSnapshot = await snapshotWorkspace(
    workspace,
    signal === undefined ? {} : { abortSignal: signal },
  );
  if (now.kind === 'git' && now.tree === expectedTree) return { applied: true };
  const tree = now.kind === 'git' ? now.tree : 'not a git tree';
  return { applied: false, reason: `the workspace came out at ${tree}, not the recorded ${expectedTree}` };
}
