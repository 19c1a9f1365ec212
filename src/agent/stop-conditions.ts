/**
 * When a tool loop must stop before the model answers (STYLE §9: small pure functions of the loop's state).
 * A loop is the same tool called with the same arguments `REPEAT_LIMIT` times, or `NO_PROGRESS_TURNS` turns in
 * a row whose tool results were all seen before — the model is going round in circles and paying for it.
 */
import { createHash } from 'node:crypto';
import type { AttemptStopReason } from '../events/index.js';
import type { ToolCallPart, ToolResultPart } from '../provider/model.js';
import { stableStringify } from '../util/stable-json.js';

export const REPEAT_LIMIT = 3;
export const NO_PROGRESS_TURNS = 4;

/** The ways the tool loop itself ends an attempt (the others — budget, timeout, interrupt, error — throw). */
export type StopReason = Extract<
  AttemptStopReason,
  'answered' | 'max-turns' | 'repeated-call' | 'no-progress'
>;

export interface LoopState {
  /** How often each (tool, arguments) pair was called in this attempt. */
  callCounts: ReadonlyMap<string, number>;
  /** Consecutive turns whose tool results were all seen before. */
  turnsWithoutNewInformation: number;
}

export interface Stop {
  reason: StopReason;
  detail: string;
}

export function callSignature(call: Pick<ToolCallPart, 'toolName' | 'input'>): string {
  return `${call.toolName} ${stableStringify(call.input ?? {})}`;
}

export function repeatedCall(state: LoopState): Stop | undefined {
  for (const [signature, count] of state.callCounts) {
    if (count >= REPEAT_LIMIT) {
      return {
        reason: 'repeated-call',
        detail: `the same call (${truncate(signature)}) was made ${count} times`,
      };
    }
  }
  return undefined;
}

export function noProgress(state: LoopState): Stop | undefined {
  return state.turnsWithoutNewInformation >= NO_PROGRESS_TURNS
    ? {
        reason: 'no-progress',
        detail: `${state.turnsWithoutNewInformation} turns in a row brought no new information`,
      }
    : undefined;
}

export const stopConditions = [repeatedCall, noProgress];

/**
 * Keeps the loop state of one attempt; deterministic, so a replayed attempt stops at the same turn. A call to a
 * tool that acts (writes, runs) counts as progress whatever it answers — five different edits all answer
 * "edited" — and repeating the very same action is caught by the repeat limit instead.
 */
export class LoopMonitor {
  private readonly callCounts = new Map<string, number>();
  private readonly seenResults = new Set<string>();
  private turnsWithoutNewInformation = 0;

  constructor(private readonly actingTools: ReadonlySet<string> = new Set()) {}

  /** Records one turn's calls and results; returns why the loop must stop, if it must. */
  observe(calls: readonly ToolCallPart[], results: readonly ToolResultPart[]): Stop | undefined {
    let learned = false;
    for (const call of calls) {
      const signature = callSignature(call);
      this.callCounts.set(signature, (this.callCounts.get(signature) ?? 0) + 1);
      if (this.actingTools.has(call.toolName)) learned = true;
    }
    for (const result of results) {
      const digest = createHash('sha256').update(`${result.toolName}\n${result.output}`).digest('hex');
      if (!this.seenResults.has(digest)) learned = true;
      this.seenResults.add(digest);
    }
    this.turnsWithoutNewInformation = learned ? 0 : this.turnsWithoutNewInformation + 1;
    const state = {
      callCounts: this.callCounts,
      turnsWithoutNewInformation: this.turnsWithoutNewInformation,
    };
    for (const condition of stopConditions) {
      const stop = condition(state);
      if (stop !== undefined) return stop;
    }
    return undefined;
  }
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
