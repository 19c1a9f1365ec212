/**
 * Stamps events with the run id and time, keeps them in the journal (replayed calls are not new events, so they
 * are shown but not stored twice), and forwards them to the caller. A failing listener never stops a run.
 *
 * Emitting is synchronous for the code that emits; storing is not (the journal answers with Promises). Events
 * are handed to the journal as they are emitted (it stores a run's events in that order), and `settled()` waits for every one emitted so
 * far, throwing the first store that failed (a lost lock, a full disk): the run awaits it before its verdict is
 * recorded, so no run ends with events missing unnoticed. The first failure is also reported at once
 * (`onStoreFailure`): the run stops rather than spend on work it cannot record.
 */
import type { Emit } from '../agent/agent-context.js';
import type { EventSink, RunEvent } from '../events/index.js';
import type { Journal } from '../journal/journal.js';
import type { Clock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';

export interface RunEmitter {
  emit: Emit;
  /** Resolves when every event emitted so far is stored; rejects with the first that could not be. */
  settled(): Promise<void>;
}

export function createEmitter(options: {
  runId: string;
  journal: Journal;
  clock: Clock;
  sink?: EventSink;
  /** Applied to every event before it is stored or shown: secrets never reach the journal or the terminal. */
  redactor?: Redactor;
  /** Called once, with the first event store that failed. */
  onStoreFailure?: (error: unknown) => void;
}): RunEmitter {
  let stored: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  const failed = (error: unknown) => {
    if (failure !== undefined) return;
    failure = { error };
    options.onStoreFailure?.(error);
  };
  const store = (event: RunEvent) => {
    // After a failure the journal is not to be trusted with more: the run is stopping.
    if (failure !== undefined) return;
    // Appended at once (a journal lands a run's events in the order they were appended), so a step write can
    // take them into its own transaction; handled at once too, so a failure is reported the moment it happens.
    const appended = options.journal.appendEvent(event).catch(failed);
    stored = stored.then(() => appended);
  };
  const emit: Emit = (input) => {
    // Stamped after redaction: the run id and the time are phasewise's own, and a time is new every event, so
    // redacting it would scan a text the redactor has never seen for every event.
    const event = {
      ...(options.redactor === undefined ? input : options.redactor.redactDeep(input)),
      runId: options.runId,
      at: new Date(options.clock.now()).toISOString(),
    } as RunEvent;
    if (!('replayed' in event && event.replayed)) store(event);
    try {
      options.sink?.(event);
    } catch {
      // Rendering problems (a closed pipe, a terminal gone) must not cost the user their run.
    }
  };
  return {
    emit,
    async settled() {
      await stored;
      if (failure !== undefined) throw failure.error;
    },
  };
}
