/**
 * Tells replayed events from new ones within a phase. A resumed phase re-runs its code from the top, and its
 * recorded steps form a prefix: until the first step that is not in the journal, everything it emits describes
 * work already journaled (`replayed: true`); from then on, events are new.
 */
import type { Emit } from '../agent/agent-context.js';
import type { DurableSteps } from '../journal/durable-steps.js';

export function trackReplay(steps: DurableSteps, emit: Emit): { steps: DurableSteps; emit: Emit } {
  let live = false;
  return {
    steps: {
      async recorded(key, schema) {
        const value = await steps.recorded(key, schema);
        if (value === undefined) live = true;
        return value;
      },
      async has(key) {
        const recorded = await steps.has(key);
        if (!recorded) live = true;
        return recorded;
      },
      async step(options, execute) {
        // Once live, always live: the journal is not asked again (a read a step).
        if (!live && !(await steps.has(options.key))) live = true;
        return steps.step(options, execute);
      },
    },
    emit: (event) => emit(live ? event : { ...event, replayed: true }),
  };
}
