/**
 * The git side of a fan-out (`ItemWorkspaces`) over the worktree layer: one worktree per lane of one run's phase,
 * named after the lane (`item-<id>`, `merge`), so no item id can take the merge's folder. Merges are made in the
 * object store; the merge worktree is created only for a conflict, which a merge turn resolves there.
 */
import { existsSync } from 'node:fs';
import type { Clock } from '../../util/clock.js';
import {
  applyResult,
  branchName,
  commitAll,
  concludeMerge,
  createWorktree,
  MERGE_WORKTREE,
  mergeBranch,
  mergeCommits,
  oneRegistrationAtATime,
  type Repository,
  removeRunWorktrees,
  removeWorktree,
  snapshotCommit,
  workspaceIn,
  worktreePath,
} from '../../worktree/index.js';
import type { ItemWorkspaces } from './fan-out-types.js';

export interface GitWorkspacesOptions {
  repository: Repository;
  runId: string;
  phaseId: string;
  clock: Clock;
  signal: AbortSignal;
}

export function gitWorkspaces(options: GitWorkspacesOptions): ItemWorkspaces {
  const { repository, runId, phaseId, clock, signal } = options;
  const name = (lane: string) => ({ runId, phaseId, name: lane });
  const top = (lane: string) => worktreePath(repository.workspace, name(lane));
  const date = () => new Date(clock.now());
  return {
    snapshot: () =>
      snapshotCommit(repository, { message: `phasewise ${runId}: ${phaseId} starts`, date: date(), signal }),
    pathOf: (lane) => workspaceIn(top(lane), repository),
    async open(lane, commit) {
      // A lane's worktree left by an earlier process holds its agent's writes: it is kept as it is.
      if (existsSync(top(lane))) return workspaceIn(top(lane), repository);
      const path = await createWorktree({ repository, ...name(lane), commit, signal });
      return workspaceIn(path, repository);
    },
    commit: (lane, message) => commitAll(top(lane), { message, date: date(), signal }),
    async merge(head, commit, message) {
      // A clean merge needs no worktree; the merge lane's branch keeps the merged head.
      const branch = branchName(name(MERGE_WORKTREE));
      const clean = await mergeCommits(repository.top, head, commit, {
        message,
        date: date(),
        branch,
        signal,
      });
      if (clean.merged) return clean;
      // A conflict is left in the merge worktree for a turn to resolve. Reset hard to the head: a merge an
      // earlier process left in conflict is dropped with it.
      const path = await createWorktree({ repository, ...name(MERGE_WORKTREE), commit: head, signal });
      return mergeBranch(path, commit, { message, date: date(), signal });
    },
    concludeMerge: (message) => concludeMerge(top(MERGE_WORKTREE), { message, date: date(), signal }),
    async apply(base, result) {
      await applyResult(repository, base, result, { signal });
    },
    async close(lane) {
      await oneRegistrationAtATime(repository.top, () => removeWorktree(repository, name(lane), signal));
    },
    async removeAll() {
      await removeRunWorktrees(repository, runId, signal);
    },
  };
}
