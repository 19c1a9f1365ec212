/**
 * What a fanned-out phase works with: its plan (the work items, how many run at once, each one's limit) and the
 * git side it runs on, as a port the orchestrator supplies (`ItemWorkspaces`: worktrees, commits, merges), so the
 * phase's code decides what happens and the worktree layer only does it.
 */

import type { WorkItem } from '../../gate/work-items.js';

export type { WorkItem };

export interface FanOutPlan {
  /** In merge order: dependencies first, then the plan's order. */
  items: WorkItem[];
  maxParallel: number;
  /** Each item's limit; absent: an equal share of the phase's remainder when it fans out. */
  itemCostLimitUsd?: number;
}

export type MergeResult = { merged: true; commit: string } | { merged: false; conflicts: string[] };

/**
 * The git side of a fan-out, for one run's phase. Lanes are named `item-<id>` and `merge`. Every operation is
 * idempotent for a resume: opening a lane at a commit resets it there, whatever an earlier process left.
 */
export interface ItemWorkspaces {
  /** A commit of the workspace as the phase starts (its working tree, on top of HEAD), the items' start. */
  snapshot(): Promise<string>;
  /**
   * The lane's worktree, created at `commit` when it does not exist; an existing one is kept as it is (a resumed
   * lane's agent replays its recorded writes, which are in it). Returns the workspace path inside it.
   */
  open(lane: string, commit: string): Promise<string>;
  /** Where the lane's workspace is (or was), without touching it. */
  pathOf(lane: string): string;
  /** Everything the lane's agent changed, committed on the lane's branch (its commit if nothing changed). */
  commit(lane: string, message: string): Promise<string>;
  /**
   * The lane's worktree as it is now, as a commit on top of its branch's that no branch points at (the branch,
   * index and files untouched): what `open` makes a lost worktree again from.
   */
  checkpoint(lane: string, message: string): Promise<string>;
  /** Puts the merge lane at `head` (whatever it held) and merges `commit` into it. */
  merge(head: string, commit: string, message: string): Promise<MergeResult>;
  /** Commits a merge whose conflicts a turn resolved; refuses, naming the files, while markers remain. */
  concludeMerge(message: string): Promise<string>;
  /**
   * Brings the workspace's working tree from `base` to `result` (nothing committed); already there: nothing.
   * Refuses, changing nothing, a result that touches a `governing` file (relative to the workspace).
   */
  apply(base: string, result: string, governing: readonly string[]): Promise<void>;
  /**
   * Removes a lane's worktree and branch once its work is merged (the merged head keeps its commit), while the
   * other lanes go on; what is left of it is removed with the rest.
   */
  close(lane: string): Promise<void>;
  /** Removes every worktree and branch of the phase. */
  removeAll(): Promise<void>;
}
