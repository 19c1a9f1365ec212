/**
 * The worktree layer's public face: git worktrees for a phase that fans out over work items. The workspace's
 * repository is checked (`requireRepository`), its working tree snapshotted as a commit (`snapshotCommit`), one
 * worktree made per item and one for the merge (`createWorktree`), items committed (`commitAll`) and merged
 * (`mergeCommits` without a worktree; on a conflict `mergeBranch`, `concludeMerge`, `abortMerge`), the merged
 * result brought into the workspace (`applyResult`), the workspace's git-ignored files a lane needs copied in
 * (`copyIgnored`), and the worktrees listed and removed again.
 */
export { type ApplyResultOptions, applyResult } from './apply-result.js';
export { type CommitAllOptions, commitAll } from './commit-all.js';
export { concludeMerge } from './conclude-merge.js';
export { copyIgnored } from './copy-ignored.js';
export { type CreateWorktreeOptions, createWorktree } from './create-worktree.js';
export { diskUse } from './disk-use.js';
export {
  commitIsolatedRun,
  createIsolatedWorktree,
  ISOLATED_DIRECTORY,
  type IsolatedWorktree,
  isolatedRuns,
  isolatedWorktreePath,
  removeIsolatedWorktree,
  uncommittedChanges,
} from './isolated-run.js';
export {
  BRANCH_NAMESPACE,
  branchName,
  isSafeSegment,
  MERGE_WORKTREE,
  WORKTREES_DIRECTORY,
  type WorktreeName,
  worktreePath,
} from './layout.js';
export { listWorktrees, type WorktreeEntry } from './list-worktrees.js';
export {
  abortMerge,
  type MergeOptions,
  type MergeOutcome,
  mergeBranch,
  unmergedPaths,
} from './merge-branch.js';
export { type CommitsMerged, type MergeCommitsOptions, mergeCommits } from './merge-commits.js';
export { oneRegistrationAtATime } from './registrations.js';
export {
  hasBranch,
  hasExtraHeader,
  originDefaultBranch,
  originUrl,
  pushBranch,
} from './remote-branch.js';
export {
  type CleanedRun,
  cleanDeadRuns,
  pruneWorktrees,
  removePhaseWorktrees,
  removeRunWorktrees,
  removeWorktree,
  runsWithBranches,
} from './remove-worktrees.js';
export { type Repository, requireRepository, workspaceIn } from './repository.js';
export {
  checkpointRef,
  dropCheckpoints,
  fetchCheckpoints,
  publishCheckpoint,
  type RemoteCheckpointsOptions,
  remoteCheckpoints,
  restoreCheckpoint,
} from './shared-checkpoints.js';
export { type SnapshotCommitOptions, snapshotCommit } from './snapshot-commit.js';
