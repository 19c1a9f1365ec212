/**
 * Events waiting for a transaction. An event is progress, not paid work, so it need not be a commit of its own:
 * the next write of its run (a step, a run update) takes it into that transaction, and the events no write took
 * by the end of the tick they were appended in are committed then, a transaction for each run — one run's lost
 * lock never fails another's events. Either way an append answers only once its event is committed (a lost lock
 * or a full disk rejects it), a run's events land in the order they were appended, and they reach the disk with
 * the next sync — a step's record never waits for them, nor they for it.
 */
import type { RunEvent } from '../events/index.js';

interface Waiting {
  event: RunEvent;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The events a write took into its transaction: settled once the write has committed or failed. */
export interface TakenEvents {
  readonly events: readonly RunEvent[];
  committed(): void;
  failed(error: unknown): void;
}

export class EventBatch {
  #waiting: Waiting[] = [];
  #timer: NodeJS.Immediate | undefined;
  /** Commits `events` (of one run) in one write transaction of their own, or throws. */
  readonly #commitAlone: (events: readonly RunEvent[]) => void;

  constructor(commitAlone: (events: readonly RunEvent[]) => void) {
    this.#commitAlone = commitAlone;
  }

  /** Resolves once the event is committed: with a step write of its run, or at the end of this tick. */
  add(event: RunEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ event, resolve, reject });
      this.#timer ??= setImmediate(() => this.flush());
    });
  }

  /** Commits every waiting event now, each run's in a transaction of its own (before a read of events, closing). */
  flush(): void {
    if (this.#timer !== undefined) clearImmediate(this.#timer);
    this.#timer = undefined;
    const byRun = new Map<string, Waiting[]>();
    for (const waiting of this.#waiting) {
      const runId = waiting.event.runId;
      byRun.set(runId, [...(byRun.get(runId) ?? []), waiting]);
    }
    this.#waiting = [];
    for (const waiting of byRun.values()) this.#settle(settleable(waiting));
  }

  /** Commits the waiting events of `runId` now, in a transaction of their own (before its lock is released). */
  flushRun(runId: string): void {
    this.#settle(this.take(runId));
  }

  /** Commits events a write took but did not keep (it failed for a reason of its own), if they still can be. */
  commitLeftOver(taken: TakenEvents): void {
    this.#settle(taken);
  }

  #settle(taken: TakenEvents): void {
    if (taken.events.length === 0) return;
    try {
      this.#commitAlone(taken.events);
    } catch (error) {
      taken.failed(error);
      return;
    }
    taken.committed();
  }

  /** Takes the waiting events of `runId` for a write of that run to insert in its own transaction. */
  take(runId: string): TakenEvents {
    const mine = this.#waiting.filter((waiting) => waiting.event.runId === runId);
    if (mine.length > 0) this.#waiting = this.#waiting.filter((waiting) => waiting.event.runId !== runId);
    return settleable(mine);
  }
}

function settleable(waiting: readonly Waiting[]): TakenEvents {
  return {
    events: waiting.map((entry) => entry.event),
    committed: () => {
      for (const entry of waiting) entry.resolve();
    },
    failed: (error) => {
      for (const entry of waiting) entry.reject(error);
    },
  };
}
