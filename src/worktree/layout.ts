/**
 * Where a fanned-out phase's worktrees live and what their branches are called:
 * `<workspace>/.phasewise/worktrees/<runId>/<phaseId>/<name>` on branch `phasewise-lanes/<runId>/<phaseId>/<name>`,
 * where `name` is an item's id, or `merge` for the worktree the phase's items are merged in (so no item may be
 * called `merge`). The folder ignores itself in git (a `.gitignore` of `*`), so worktrees never show in the
 * user's `git status`, nor in a snapshot of the workspace, whatever `.phasewise/` holds.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorktreeError } from '../errors/index.js';

export const WORKTREES_DIRECTORY = join('.phasewise', 'worktrees');
export const MERGE_WORKTREE = 'merge';
/**
 * The lanes' branches live apart from `phasewise/<run-id>`, the branch a run's result is committed on (isolated
 * runs, pool workers): git cannot hold a branch and branches below it of the same name.
 */
export const BRANCH_NAMESPACE = 'phasewise-lanes';
/** Where lanes' branches lived before: `phasewise/<run>/<phase>/<name>`, still found by `clean`. */
export const LEGACY_BRANCH_NAMESPACE = 'phasewise';

export interface WorktreeName {
  runId: string;
  phaseId: string;
  /** An item's id, or `MERGE_WORKTREE`. */
  name: string;
}

/** One path segment that is also a valid part of a branch name (`implementation@2` is; `a/b`, `..`, `x.lock` not). */
const SAFE_SEGMENT = /^(?!.*\.\.)(?!.*@\{)(?!.*\.lock$)[A-Za-z0-9_][A-Za-z0-9._@-]*$/;

export function worktreesRoot(workspace: string): string {
  return join(workspace, WORKTREES_DIRECTORY);
}

export function runWorktrees(workspace: string, runId: string): string {
  return join(worktreesRoot(workspace), checkedSegment('run id', runId));
}

export function phaseWorktrees(workspace: string, runId: string, phaseId: string): string {
  return join(runWorktrees(workspace, runId), checkedSegment('phase id', phaseId));
}

export function worktreePath(workspace: string, worktree: WorktreeName): string {
  const { runId, phaseId, name } = checkedName(worktree);
  return join(worktreesRoot(workspace), runId, phaseId, name);
}

export function branchName(worktree: WorktreeName): string {
  const { runId, phaseId, name } = checkedName(worktree);
  return `${BRANCH_NAMESPACE}/${runId}/${phaseId}/${name}`;
}

/** Makes the worktrees folder ignore itself in git; a `.gitignore` already there stays as it is. */
export async function ignoreWorktreesInGit(workspace: string): Promise<void> {
  try {
    await writeFile(join(worktreesRoot(workspace), '.gitignore'), '*\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

export function isSafeSegment(segment: string): boolean {
  return SAFE_SEGMENT.test(segment);
}

function checkedName(worktree: WorktreeName): WorktreeName {
  return {
    runId: checkedSegment('run id', worktree.runId),
    phaseId: checkedSegment('phase id', worktree.phaseId),
    name: checkedSegment('work item id', worktree.name),
  };
}

function checkedSegment(what: string, segment: string): string {
  if (isSafeSegment(segment)) return segment;
  throw new WorktreeError(
    'invalid_name',
    `the ${what} ${JSON.stringify(segment)} cannot name a worktree folder and branch: use letters, digits, ` +
      '`_`, `-`, `.` and `@`, starting with a letter, digit or `_`, without `..` or a trailing `.lock`',
  );
}
