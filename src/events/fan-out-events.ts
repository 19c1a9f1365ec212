/**
 * The events of a fanned-out phase: its items announced, each item's lane started and ended, each merge, and
 * the fan-out's end. The lane's own agent events are the run's ordinary events with `item` set.
 */
import type { EventBase } from './event-base.js';
import type { FanOutEndStatus, PhaseStatus } from './statuses.js';

/** A work item as a fanned-out phase announces it. */
export interface FanOutItem {
  id: string;
  title: string;
  dependsOn: string[];
  files: string[];
  costLimitUsd: number;
}

export type FanOutEvent =
  /** A phase fans out over its work items, each in its own worktree from `baseCommit`. */
  | (EventBase & {
      type: 'fan-out-start';
      phaseId: string;
      baseCommit: string;
      maxParallel: number;
      items: FanOutItem[];
    })
  /** A phase configured to fan out runs as a single agent (one item or none, or no plan); `reason` says why. */
  | (EventBase & { type: 'fan-out-skipped'; phaseId: string; reason: string })
  | (EventBase & { type: 'item-start'; phaseId: string; item: string; startCommit: string; resumed: boolean })
  | (EventBase & {
      type: 'item-end';
      phaseId: string;
      item: string;
      status: PhaseStatus;
      attempts: number;
      tier: string;
      model: string;
      costUsd: number;
      gateScore: number | null;
      threshold: number;
      /** The commit of the item's work on its branch; null when it did not pass. */
      commit: string | null;
      durationMs: number;
      message: string | null;
    })
  /**
   * A finished item merged into the phase's result, in dependency order: cleanly, resolved by a merge turn, or
   * left in conflict (the phase halts, naming `files`).
   */
  | (EventBase & {
      type: 'merge-end';
      phaseId: string;
      item: string;
      index: number;
      outcome: 'merged' | 'resolved' | 'conflict';
      files: string[];
      commit: string | null;
      costUsd: number;
    })
  | (EventBase & {
      type: 'fan-out-end';
      phaseId: string;
      /**
       * `merged`: its items merged (some may have been left out); `halted`: a merge for a person. The others: an
       * error ended it (the phase's or the run's money gone, a timeout, an interrupt, a failure) and its worktrees
       * stay for a resume; `message` says what.
       */
      status: FanOutEndStatus;
      mergedCommit: string | null;
      costUsd: number;
      durationMs: number;
      message: string | null;
    });
