import { describe, expect, it } from 'vitest';
import { JournalError } from '../../../src/errors/index.js';
import type { ContractJournal } from './contract-journal.js';
import { sampleRun } from './samples.js';

export function describeRunsContract(journal: () => ContractJournal): void {
  describe('runs', () => {
    it('creates a run that starts running, at no cost', async () => {
      const run = sampleRun('run-a');
      await journal().createRun(run);
      expect(await journal().getRun('run-a')).toEqual({
        ...run,
        status: 'running',
        updatedAt: run.createdAt,
        endedAt: null,
        exitCode: null,
        costUsd: 0,
        message: null,
      });
    });

    it('knows nothing of a run never created', async () => {
      expect(await journal().getRun('missing')).toBeUndefined();
      expect(await journal().listRuns()).toEqual([]);
    });

    it('refuses to create the same run twice and keeps the first', async () => {
      await journal().createRun(sampleRun('run-a'));
      await expect(async () =>
        journal().createRun({ ...sampleRun('run-a'), task: 'another task' }),
      ).rejects.toThrow(JournalError);
      expect((await journal().getRun('run-a'))?.task).toBe(sampleRun('run-a').task);
    });

    it('lists runs newest first', async () => {
      await journal().createRun(sampleRun('middle', '2026-03-02T00:00:00.000Z'));
      await journal().createRun(sampleRun('oldest', '2026-03-01T00:00:00.000Z'));
      await journal().createRun(sampleRun('newest', '2026-03-03T00:00:00.000Z'));
      const runs = await journal().listRuns();
      expect(runs.map((run) => run.runId)).toEqual(['newest', 'middle', 'oldest']);
    });

    it('updates the given fields and keeps the others', async () => {
      await journal().createRun(sampleRun('run-a'));
      await journal().updateRun('run-a', {
        status: 'halted',
        updatedAt: '2026-03-01T11:00:00.000Z',
        message: 'gate',
      });
      await journal().updateRun('run-a', {
        status: 'succeeded',
        updatedAt: '2026-03-01T12:00:00.000Z',
        endedAt: '2026-03-01T12:00:00.000Z',
        exitCode: 0,
      });
      expect(await journal().getRun('run-a')).toMatchObject({
        status: 'succeeded',
        updatedAt: '2026-03-01T12:00:00.000Z',
        endedAt: '2026-03-01T12:00:00.000Z',
        exitCode: 0,
        message: 'gate',
        workflow: sampleRun('run-a').workflow,
        workflowHash: sampleRun('run-a').workflowHash,
      });
    });

    it('clears a field updated to null', async () => {
      await journal().createRun(sampleRun('run-a'));
      await journal().updateRun('run-a', {
        status: 'halted',
        updatedAt: '2026-03-01T11:00:00.000Z',
        message: 'gate',
      });
      await journal().updateRun('run-a', {
        status: 'running',
        updatedAt: '2026-03-01T11:30:00.000Z',
        message: null,
      });
      expect((await journal().getRun('run-a'))?.message).toBeNull();
    });

    it('replaces the workflow on a forced resume', async () => {
      await journal().createRun(sampleRun('run-a'));
      const workflow = { phases: [{ id: 'research', model: 'sonnet' }] };
      await journal().updateRun('run-a', {
        status: 'running',
        updatedAt: 'later',
        workflow,
        workflowHash: 'new-hash',
      });
      expect(await journal().getRun('run-a')).toMatchObject({ workflow, workflowHash: 'new-hash' });
    });

    it('refuses to update a run it does not hold', async () => {
      await expect(async () =>
        journal().updateRun('missing', { status: 'failed', updatedAt: 'now' }),
      ).rejects.toThrow(JournalError);
    });
  });
}
