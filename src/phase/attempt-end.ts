/**
 * How an attempt's agent stopped, for the `attempt-end` event, the journaled attempt result and the attempt's
 * report file. An agent either returns (it answered, or the tool loop stopped it: the turn cap, a loop) or
 * throws (the phase's money ran out, the phase timed out, the run was interrupted, an error); both runtimes, the
 * tool loop and Claude Code, end one of these ways.
 */
import type { Emit } from '../agent/agent-context.js';
import type { AgentResult } from '../agent/run-agent.js';
import {
  BudgetExceededError,
  InterruptedError,
  PhaseTimeoutError,
  RunDeadlineError,
} from '../errors/index.js';
import type { AttemptStopReason } from '../events/index.js';

export interface AttemptEnd {
  stopReason: AttemptStopReason;
  /** Why, in words, when the agent did not simply answer. */
  detail: string | null;
  turns: number;
}

export function endOfResult(result: AgentResult): AttemptEnd {
  return { stopReason: result.stopReason, detail: result.stopDetail, turns: result.turns };
}

/** The end of an agent that threw; `turns` is how many model turns it had completed. */
export function endOfError(error: unknown, turns: number): AttemptEnd {
  const detail = error instanceof Error ? error.message : String(error);
  const stopReason: AttemptStopReason =
    error instanceof PhaseTimeoutError || error instanceof RunDeadlineError
      ? 'timeout'
      : error instanceof InterruptedError
        ? 'interrupted'
        : error instanceof BudgetExceededError
          ? 'budget'
          : 'error';
  return { stopReason, detail, turns };
}

/**
 * What the attempt's report file holds: the agent's text, or — when it wrote none (a loop stopped it between
 * tool calls, the turn cap) — why the attempt ended, so the file is never empty.
 */
export function attemptReportText(text: string, end: AttemptEnd): string {
  if (text.trim() !== '') return text;
  const why = end.detail ?? end.stopReason;
  const ended = `The attempt ended (${end.stopReason}) after ${end.turns} turn(s): ${why}.`;
  return `_No report: the agent wrote no text. ${ended}_\n`;
}

/** The attempt's emit, counting the model turns it reports (the turns of an agent that throws). */
export function turnCounter(emit: Emit): { emit: Emit; turns: () => number } {
  let turns = 0;
  return {
    emit: (event) => {
      if (event.type === 'model-call-end') turns = Math.max(turns, event.turn);
      emit(event);
    },
    turns: () => turns,
  };
}
