import { describe, expect, it } from 'vitest';
import { JournalError } from '../../../src/errors/index.js';
import type { Journal } from '../../../src/journal/index.js';
import { sampleRun } from './samples.js';

export function describeRunsContract(journal: () => Journal): void {
  describe('runs', () => {
    it('creates a run that starts running, at no cost', () => {
      const run = sampleRun('run-a');
      journal().createRun(run);
      expect(journal().getRun('run-a')).toEqual({
        ...run,
        status: 'running',
        updatedAt: run.createdAt,
        endedAt: null,
        exitCode: null,
        costUsd: 0,
        message: null,
      });
    });

    it('knows nothing of a run never created', () => {
      expect(journal().getRun('missing')).toBeUndefined();
      expect(journal().listRuns()).toEqual([]);
    });

    it('refuses to create the same run twice and keeps the first', () => {
      journal().createRun(sampleRun('run-a'));
      expect(() => journal().createRun({ ...sampleRun('run-a'), task: 'another task' })).toThrow(
        JournalError,
      );
      expect(journal().getRun('run-a')?.task).toBe(sampleRun('run-a').task);
    });

    it('lists runs newest first', () => {
      journal().createRun(sampleRun('middle', '2026-03-02T00:00:00.000Z'));
      journal().createRun(sampleRun('oldest', '2026-03-01T00:00:00.000Z'));
      journal().createRun(sampleRun('newest', '2026-03-03T00:00:00.000Z'));
      expect(
        journal()
          .listRuns()
          .map((run) => run.runId),
      ).toEqual(['newest', 'middle', 'oldest']);
    });

    it('updates the given fields and keeps the others', () => {
      journal().createRun(sampleRun('run-a'));
      journal().updateRun('run-a', {
        status: 'halted',
        updatedAt: '2026-03-01T11:00:00.000Z',
        message: 'gate',
      });
      journal().updateRun('run-a', {
        status: 'succeeded',
        updatedAt: '2026-03-01T12:00:00.000Z',
        endedAt: '2026-03-01T12:00:00.000Z',
        exitCode: 0,
      });
      expect(journal().getRun('run-a')).toMatchObject({
        status: 'succeeded',
        updatedAt: '2026-03-01T12:00:00.000Z',
        endedAt: '2026-03-01T12:00:00.000Z',
        exitCode: 0,
        message: 'gate',
        workflow: sampleRun('run-a').workflow,
        workflowHash: sampleRun('run-a').workflowHash,
      });
    });

    it('clears a field updated to null', () => {
      journal().createRun(sampleRun('run-a'));
      journal().updateRun('run-a', {
        status: 'halted',
        updatedAt: '2026-03-01T11:00:00.000Z',
        message: 'gate',
      });
      journal().updateRun('run-a', {
        status: 'running',
        updatedAt: '2026-03-01T11:30:00.000Z',
        message: null,
      });
      expect(journal().getRun('run-a')?.message).toBeNull();
    });

    it('replaces the workflow on a forced resume', () => {
      journal().createRun(sampleRun('run-a'));
      const workflow = { phases: [{ id: 'research', model: 'sonnet' }] };
      journal().updateRun('run-a', {
        status: 'running',
        updatedAt: 'later',
        workflow,
        workflowHash: 'new-hash',
      });
      expect(journal().getRun('run-a')).toMatchObject({ workflow, workflowHash: 'new-hash' });
    });

    it('refuses to update a run it does not hold', () => {
      expect(() => journal().updateRun('missing', { status: 'failed', updatedAt: 'now' })).toThrow(
        JournalError,
      );
    });
  });
}
