/**
 * What every run event carries (its run, its time, whether it is replayed, its work item), and the token counts
 * and check summaries events report.
 */
export interface TokenCounts {
  inputNoCache: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

/** The one zero: no tokens of any kind (a fresh object, callers add to it). `ModelUsage` starts from it too. */
export function noTokens(): TokenCounts {
  return { inputNoCache: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };
}

export interface CheckResultSummary {
  name: string;
  kind: string;
  score: number;
  weight: number;
  required: boolean;
  passed: boolean;
  message: string;
  /** What the check found (missing paths, a command's exit code and output tail, parsed findings...), plain JSON. */
  evidence?: unknown;
}

export interface EventBase {
  runId: string;
  /** ISO time the event happened. */
  at: string;
  /**
   * Set when a resumed run re-derives this event from the journal instead of from new work. Shown live, never
   * journaled twice.
   */
  replayed?: boolean;
  /**
   * Set on the events of a lane of a fanned-out phase: the work item whose agent (or whose merge's conflict turn,
   * with `mergeTurn`) the event is about. The lane's phase-level events are `item-start` / `item-end`.
   */
  item?: string;
  mergeTurn?: true;
}
