import { describe, expect, it } from 'vitest';
import { JournalError } from '../../../src/errors/index.js';
import { JOURNAL_SCHEMA_VERSION } from '../../../src/journal/index.js';
import type { ContractJournal } from './contract-journal.js';
import { sampleRun, sampleStep } from './samples.js';

export function describeStepsContract(journal: () => ContractJournal): void {
  describe('steps', () => {
    it('returns a recorded step with the schema version it was written with', async () => {
      await journal().createRun(sampleRun('run-a'));
      const step = sampleStep('run-a', 'research/a1/t1/model', 0.0125);
      await journal().recordStep(step);
      expect(await journal().getStep('run-a', 'research/a1/t1/model')).toEqual({
        ...step,
        schemaVersion: JOURNAL_SCHEMA_VERSION,
      });
    });

    it('keeps steps apart per run', async () => {
      await journal().createRun(sampleRun('run-a'));
      await journal().createRun(sampleRun('run-b'));
      await journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0, 'from a'));
      await journal().recordStep(sampleStep('run-b', 'research/a1/t1/model', 0, 'from b'));
      expect((await journal().getStep('run-b', 'research/a1/t1/model'))?.result).toBe('from b');
      expect(await journal().getStep('run-a', 'research/a1/t2/model')).toBeUndefined();
      expect(await journal().getStep('missing', 'research/a1/t1/model')).toBeUndefined();
    });

    it('lists a run’s steps in recording order', async () => {
      await journal().createRun(sampleRun('run-a'));
      await journal().createRun(sampleRun('run-b'));
      const keys = [
        'research/a1/t1/model',
        'research/a1/t1/tool-0',
        'research/a1/gate',
        'planning/a1/t1/model',
      ];
      await journal().recordStep(sampleStep('run-b', 'other/step'));
      for (const key of keys) await journal().recordStep(sampleStep('run-a', key));
      const steps = await journal().listSteps('run-a');
      expect(steps.map((step) => step.key)).toEqual(keys);
      expect(await journal().listSteps('missing')).toEqual([]);
    });

    it('round-trips any JSON result', async () => {
      await journal().createRun(sampleRun('run-a'));
      const results: unknown[] = [
        null,
        0,
        'text',
        [1, 'two', { three: 3 }],
        { nested: { deep: [true, false] } },
      ];
      for (const [index, result] of results.entries()) {
        await journal().recordStep(sampleStep('run-a', `step-${index}`, 0, result));
      }
      const steps = await journal().listSteps('run-a');
      expect(steps.map((step) => step.result)).toEqual(results);
    });

    it('refuses to record a key twice, keeping the first result and cost', async () => {
      await journal().createRun(sampleRun('run-a'));
      await journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.01, 'first'));
      await expect(async () =>
        journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.02, 'second')),
      ).rejects.toThrow(JournalError);
      expect((await journal().getStep('run-a', 'research/a1/t1/model'))?.result).toBe('first');
      expect((await journal().getRun('run-a'))?.costUsd).toBeCloseTo(0.01, 10);
      expect(await journal().listSteps('run-a')).toHaveLength(1);
    });

    it('sums the steps’ costs into the run', async () => {
      await journal().createRun(sampleRun('run-a'));
      await journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.0125));
      await journal().recordStep(sampleStep('run-a', 'research/a1/t1/tool-0', 0));
      await journal().recordStep(sampleStep('run-a', 'planning/a1/t1/model', 0.2));
      expect((await journal().getRun('run-a'))?.costUsd).toBeCloseTo(0.2125, 10);
    });

    it('keeps a started step as unfinished until it is recorded, then clears it', async () => {
      await journal().createRun(sampleRun('run-a'));
      const started = {
        runId: 'run-a',
        key: 'research/a1/t1/model',
        phaseId: 'research',
        kind: 'model' as const,
      };
      await journal().startStep({ ...started, startedAt: '2026-11-29T10:00:00.000Z', pid: 4242 });
      expect(await journal().listUnfinishedSteps('run-a')).toEqual([
        { ...started, startedAt: '2026-11-29T10:00:00.000Z', pid: 4242, executions: 1 },
      ]);
      await journal().recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.01));
      expect(await journal().listUnfinishedSteps('run-a')).toEqual([]);
      expect((await journal().getStep('run-a', 'research/a1/t1/model'))?.reexecuted).toBeUndefined();
    });

    it('records a step started again after an unfinished start as re-executed', async () => {
      await journal().createRun(sampleRun('run-a'));
      const started = {
        runId: 'run-a',
        key: 'research/a1/t1/tool/0',
        phaseId: 'research',
        kind: 'tool' as const,
      };
      await journal().startStep({ ...started, startedAt: '2026-11-29T10:00:00.000Z', pid: 4242 });
      await journal().startStep({ ...started, startedAt: '2026-11-29T10:05:00.000Z', pid: 4343 });
      expect(await journal().listUnfinishedSteps('run-a')).toEqual([
        { ...started, startedAt: '2026-11-29T10:05:00.000Z', pid: 4343, executions: 2 },
      ]);
      await journal().recordStep(sampleStep('run-a', 'research/a1/t1/tool/0', 0));
      await journal().recordStep(sampleStep('run-a', 'research/a1/t2/model', 0));
      expect((await journal().getStep('run-a', 'research/a1/t1/tool/0'))?.reexecuted).toBe(true);
      const steps = await journal().listSteps('run-a');
      expect(steps.map((step) => step.reexecuted)).toEqual([true, undefined]);
      expect(await journal().listUnfinishedSteps('run-a')).toEqual([]);
    });

    it('refuses a step of a run it does not hold', async () => {
      await expect(async () =>
        journal().recordStep(sampleStep('missing', 'research/a1/t1/model', 0.01)),
      ).rejects.toThrow(JournalError);
      expect(await journal().getStep('missing', 'research/a1/t1/model')).toBeUndefined();
    });
  });
}
