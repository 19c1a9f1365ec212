import { describe, expect, it } from 'vitest';
import { JournalError } from '../../../src/errors/index.js';
import { JOURNAL_SCHEMA_VERSION, type Journal } from '../../../src/journal/index.js';
import { sampleRun, sampleStep } from './samples.js';

export function describeStepsContract(journal: () => Journal): void {
  describe('steps', () => {
    it('returns a recorded step with the schema version it was written with', () => {
      journal().createRun(sampleRun('run-a'));
      const step = sampleStep('run-a', 'research/a1/t1/model', 0.0125);
      journal().recordStep(step);
      expect(journal().getStep('run-a', 'research/a1/t1/model')).toEqual({
        ...step,
        schemaVersion: JOURNAL_SCHEMA_VERSION,
      });
    });

    it('keeps steps apart per run', () => {
      journal().createRun(sampleRun('run-a'));
      journal().createRun(sampleRun('run-b'));
      journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0, 'from a'));
      journal().recordStep(sampleStep('run-b', 'research/a1/t1/model', 0, 'from b'));
      expect(journal().getStep('run-b', 'research/a1/t1/model')?.result).toBe('from b');
      expect(journal().getStep('run-a', 'research/a1/t2/model')).toBeUndefined();
      expect(journal().getStep('missing', 'research/a1/t1/model')).toBeUndefined();
    });

    it('lists a run’s steps in recording order', () => {
      journal().createRun(sampleRun('run-a'));
      journal().createRun(sampleRun('run-b'));
      const keys = [
        'research/a1/t1/model',
        'research/a1/t1/tool-0',
        'research/a1/gate',
        'planning/a1/t1/model',
      ];
      journal().recordStep(sampleStep('run-b', 'other/step'));
      for (const key of keys) journal().recordStep(sampleStep('run-a', key));
      expect(
        journal()
          .listSteps('run-a')
          .map((step) => step.key),
      ).toEqual(keys);
      expect(journal().listSteps('missing')).toEqual([]);
    });

    it('round-trips any JSON result', () => {
      journal().createRun(sampleRun('run-a'));
      const results: unknown[] = [
        null,
        0,
        'text',
        [1, 'two', { three: 3 }],
        { nested: { deep: [true, false] } },
      ];
      results.forEach((result, index) => {
        journal().recordStep(sampleStep('run-a', `step-${index}`, 0, result));
      });
      expect(
        journal()
          .listSteps('run-a')
          .map((step) => step.result),
      ).toEqual(results);
    });

    it('refuses to record a key twice, keeping the first result and cost', () => {
      journal().createRun(sampleRun('run-a'));
      journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.01, 'first'));
      expect(() => journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.02, 'second'))).toThrow(
        JournalError,
      );
      expect(journal().getStep('run-a', 'research/a1/t1/model')?.result).toBe('first');
      expect(journal().getRun('run-a')?.costUsd).toBeCloseTo(0.01, 10);
      expect(journal().listSteps('run-a')).toHaveLength(1);
    });

    it('sums the steps’ costs into the run', () => {
      journal().createRun(sampleRun('run-a'));
      journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.0125));
      journal().recordStep(sampleStep('run-a', 'research/a1/t1/tool-0', 0));
      journal().recordStep(sampleStep('run-a', 'planning/a1/t1/model', 0.2));
      expect(journal().getRun('run-a')?.costUsd).toBeCloseTo(0.2125, 10);
    });

    it('keeps a started step as unfinished until it is recorded, then clears it', () => {
      journal().createRun(sampleRun('run-a'));
      const started = {
        runId: 'run-a',
        key: 'research/a1/t1/model',
        phaseId: 'research',
        kind: 'model' as const,
      };
      journal().startStep({ ...started, startedAt: '2026-11-29T10:00:00.000Z', pid: 4242 });
      expect(journal().listUnfinishedSteps('run-a')).toEqual([
        { ...started, startedAt: '2026-11-29T10:00:00.000Z', pid: 4242, executions: 1 },
      ]);
      journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.01));
      expect(journal().listUnfinishedSteps('run-a')).toEqual([]);
      expect(journal().getStep('run-a', 'research/a1/t1/model')?.reexecuted).toBeUndefined();
    });

    it('records a step started again after an unfinished start as re-executed', () => {
      journal().createRun(sampleRun('run-a'));
      const started = {
        runId: 'run-a',
        key: 'research/a1/t1/tool/0',
        phaseId: 'research',
        kind: 'tool' as const,
      };
      journal().startStep({ ...started, startedAt: '2026-11-29T10:00:00.000Z', pid: 4242 });
      journal().startStep({ ...started, startedAt: '2026-11-29T10:05:00.000Z', pid: 4343 });
      expect(journal().listUnfinishedSteps('run-a')).toEqual([
        { ...started, startedAt: '2026-11-29T10:05:00.000Z', pid: 4343, executions: 2 },
      ]);
      journal().recordStep(sampleStep('run-a', 'research/a1/t1/tool/0', 0));
      journal().recordStep(sampleStep('run-a', 'research/a1/t2/model', 0));
      expect(journal().getStep('run-a', 'research/a1/t1/tool/0')?.reexecuted).toBe(true);
      expect(
        journal()
          .listSteps('run-a')
          .map((step) => step.reexecuted),
      ).toEqual([true, undefined]);
      expect(journal().listUnfinishedSteps('run-a')).toEqual([]);
    });

    it('refuses a step of a run it does not hold', () => {
      expect(() => journal().recordStep(sampleStep('missing', 'research/a1/t1/model', 0.01))).toThrow(
        JournalError,
      );
      expect(journal().getStep('missing', 'research/a1/t1/model')).toBeUndefined();
    });
  });
}
