/**
 * Stamps events with the run id and time, keeps them in the journal (replayed calls are not new events, so they
 * are shown but not stored twice), and forwards them to the caller. A failing listener never stops a run.
 */
import type { Emit } from '../agent/agent-context.js';
import type { EventSink, RunEvent } from '../events/index.js';
import type { Journal } from '../journal/journal.js';
import type { Clock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';

export function createEmitter(options: {
  runId: string;
  journal: Journal;
  clock: Clock;
  sink?: EventSink;
  /** Applied to every event before it is stored or shown: secrets never reach the journal or the terminal. */
  redactor?: Redactor;
}): Emit {
  return (input) => {
    const stamped = {
      ...input,
      runId: options.runId,
      at: new Date(options.clock.now()).toISOString(),
    } as RunEvent;
    const event = options.redactor === undefined ? stamped : options.redactor.redactDeep(stamped);
    if (!('replayed' in event && event.replayed)) options.journal.appendEvent(event);
    try {
      options.sink?.(event);
    } catch {
      // Rendering problems (a closed pipe, a terminal gone) must not cost the user their run.
    }
  };
}
