/**
 * Riding out a dropped connection: a Postgres restart or failover under a running run is waited out, within a
 * bound, instead of failing the run. A read, or a write whose transaction failed before its COMMIT was sent, is
 * simply tried again. A write whose COMMIT was cut off may or may not have landed: it is tried again only after
 * its own check (`landed`) says it did not, so a retry never records a step, a start mark or an event twice.
 * Anything else (a server error, a lost lock, a bug) is not retried.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isUnreachable } from './postgres-errors.js';

export interface RetryPolicy {
  /** How long to keep trying after the first failure; 0 turns retrying off. */
  forMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Long enough for a restart of a local server or a managed failover; short enough to stop a run that waits. */
export const DEFAULT_RETRY: RetryPolicy = { forMs: 30_000, firstDelayMs: 100, maxDelayMs: 2_000 };

/** A COMMIT that was sent when the connection dropped: the transaction may or may not have committed. */
export class CommitOutcomeUnknown extends Error {
  readonly code: string | undefined;
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'CommitOutcomeUnknown';
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * Runs `work`, trying again while the database is unreachable, for at most `policy.forMs`. `landed` answers,
 * after a COMMIT of unknown outcome, whether the write is already in the database (then it is done); without
 * it such a write is not retried and its failure is thrown.
 */
export async function retryWhileUnreachable<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  landed?: () => Promise<T | typeof NOT_LANDED>,
): Promise<T> {
  const deadline = Date.now() + policy.forMs;
  let delay = policy.firstDelayMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isUnreachable(error) || Date.now() + delay > deadline) throw error;
      if (error instanceof CommitOutcomeUnknown) {
        if (landed === undefined) throw error;
        const outcome = await settleOutcome(landed, deadline, delay, policy);
        if (outcome !== NOT_LANDED) return outcome;
      } else {
        await sleep(delay);
      }
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** What `landed` returns for a write that is not in the database: it is safe to do it again. */
export const NOT_LANDED: unique symbol = Symbol('not landed');

/** The `landed` of a write that is harmless to make twice (it sets values, it deletes): it is made again. */
export const REDO = async (): Promise<typeof NOT_LANDED> => NOT_LANDED;

/** Asks `landed` once the database answers again (waiting for it within the same deadline). */
async function settleOutcome<T>(
  landed: () => Promise<T | typeof NOT_LANDED>,
  deadline: number,
  firstDelay: number,
  policy: RetryPolicy,
): Promise<T | typeof NOT_LANDED> {
  let delay = firstDelay;
  for (;;) {
    await sleep(delay);
    try {
      return await landed();
    } catch (error) {
      if (!isUnreachable(error) || Date.now() + delay > deadline) throw error;
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
