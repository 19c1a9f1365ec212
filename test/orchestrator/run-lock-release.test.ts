/**
 * Once `runWorkflow` holds the run's lock, every way out releases it — a journal that fails between taking the
 * lock and running the phases included (before, such a failure left the run locked to a process that had ended).
 */
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/journal.js';
import { harnessesClosedAfterEach, oneTurnScript } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

/** The real journal, except that `method` throws the way a failing disk would. */
function failingOn(journal: Journal, method: keyof Journal): Journal {
  return new Proxy(journal, {
    get(target, name) {
      if (name === method) {
        return () => {
          throw new Error('disk I/O error');
        };
      }
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the run lock', () => {
  it.each(['listSteps', 'appendEvent', 'updateRun'] as const)(
    'is released when the journal fails in %s after the lock is taken',
    async (method) => {
      const h = make(
        testWorkflow({ phases: [phase('research')] }),
        oneTurnScript({ research: report('research') }),
      );
      await expect(h.run({ journal: failingOn(h.journal, method) })).rejects.toThrow('disk I/O error');
      const [run] = await h.journal.listRuns();
      expect(run).toBeDefined();
      expect(await h.journal.getLockHolder(run!.runId)).toBeUndefined();
      // And the run can be taken again by a resume, which completes it.
      const resumed = await h.run({ resume: { runId: run!.runId } });
      expect(resumed.status).toBe('succeeded');
    },
  );
});
