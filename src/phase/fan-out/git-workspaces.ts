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
  copyIgnored,
  createWorktree,
  MERGE_WORKTREE,
  mergeBranch,
  mergeCommits,
  oneRegistrationAtATime,
  type Repository,
  removePhaseWorktrees,
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
  /** `fan_out.copy_ignored`: the workspace's ignored paths copied into each lane's worktree. */
  copyIgnored?: readonly string[];
}

export function gitWorkspaces(options: GitWorkspacesOptions): ItemWorkspaces {
  const { repository, runId, phaseId, clock, signal, copyIgnored: copied = [] } = options;
  const name = (lane: string) => ({ runId, phaseId, name: lane });
  const top = (lane: string) => worktreePath(repository.workspace, name(lane));
  const date = () => new Date(clock.now());
  return {
    snapshot: () =>
      snapshotCommit(repository, { message: `phasewise ${runId}: ${phaseId} starts`, date: date(), signal }),
    pathOf: (lane) => workspaceIn(top(lane), repository),
    async open(lane, commit) {
      // A lane's worktree left by an earlier process holds its agent's writes: it is kept as it is (a copy of
      // an ignored path cut off by a crash is finished).
      const path = existsSync(top(lane))
        ? top(lane)
        : await createWorktree({ repository, ...name(lane), commit, signal });
      await copyIgnored(repository, path, copied, signal);
      return workspaceIn(path, repository);
    },
    commit: (lane, message) => commitAll(top(lane), { message, date: date(), signal }),
    // Without the signal: a checkpoint an interrupt finds under way is finished, so the resume has it.
    checkpoint: (lane, message) =>
      snapshotCommit({ ...repository, top: top(lane) }, { message, date: date() }),
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
      const merged = await mergeBranch(path, commit, { message, date: date(), signal });
      // A conflict gets a merge turn, whose gate runs there.
      if (!merged.merged) await copyIgnored(repository, path, copied, signal);
      return merged;
    },
    concludeMerge: (message) => concludeMerge(top(MERGE_WORKTREE), { message, date: date(), signal }),
    async apply(base, result, governing) {
      await applyResult(repository, base, result, { signal, governing });
    },
    async close(lane) {
      await oneRegistrationAtATime(repository.top, () => removeWorktree(repository, name(lane), signal));
    },
    async removeAll() {
      await removePhaseWorktrees(repository, runId, phaseId, signal);
    },
  };
}
