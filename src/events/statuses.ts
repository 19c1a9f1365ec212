/**
 * How a run, a phase, a fanned-out phase and an attempt ended (or stand), as the events and the journal say it.
 */
export type PhaseStatus =
  | 'pending'
  | 'running'
  | 'passed'
  | 'failed'
  | 'halted'
  | 'timed_out'
  | 'budget_exceeded'
  | 'interrupted'
  | 'aborted'
  | 'skipped';

/** How a fan-out ended (`fan-out-end`). */
export type FanOutEndStatus =
  | 'merged'
  | 'halted'
  | 'failed'
  | 'budget_exceeded'
  | 'timed_out'
  | 'interrupted';

export type RunStatus =
  /** Submitted to the shared journal's queue (`phasewise submit`), waiting for a worker. */
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'halted'
  | 'budget_exceeded'
  | 'timed_out'
  | 'interrupted'
  | 'aborted'
  | 'no_go';

/**
 * Why an attempt's agent stopped: it answered; the turn cap; a loop (the same call repeated, turns without new
 * information); its share of the budget ran out; the phase timed out; the run was interrupted; an error.
 */
export type AttemptStopReason =
  | 'answered'
  | 'max-turns'
  | 'repeated-call'
  | 'no-progress'
  | 'budget'
  | 'timeout'
  | 'interrupted'
  | 'error';
