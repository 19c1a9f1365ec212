/**
 * Run ids are a second's time stamp and 16 random bits, so fifty runs started in the same second in one
 * workspace (the concurrency suite) draw the same id now and then: the later run takes another id instead of
 * failing, and a generator that keeps answering a taken id still ends in the journal's error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalError } from '../../src/errors/index.js';
import { type Journal, openJournal } from '../../src/journal/index.js';
import { openRun } from '../../src/orchestrator/start-run.js';
import { testWorkflow } from '../support/workflow.js';

let workspace: string;
let journal: Journal;

function openFresh(): Journal {
  workspace = mkdtempSync(join(tmpdir(), 'phasewise-run-id-'));
  journal = openJournal({ workspace });
  return journal;
}

afterEach(async () => {
  await journal?.close();
  rmSync(workspace, { recursive: true, force: true });
});

const clock = { now: () => Date.parse('2026-11-29T15:00:00.000Z') };

describe('a run id drawn twice', () => {
  it('is drawn again: the second run gets an id of its own', async () => {
    const ids = ['20261129-150000-abcd', '20261129-150000-abcd', '20261129-150000-0f0f'];
    const generateRunId = () => ids.shift()!;
    const options = { journal: openFresh(), workflow: testWorkflow(), task: 'a task', clock, generateRunId };
    expect((await openRun(options)).runId).toBe('20261129-150000-abcd');
    expect((await openRun(options)).runId).toBe('20261129-150000-0f0f');
    expect((await journal.listRuns()).map((run) => run.runId).sort()).toEqual([
      '20261129-150000-0f0f',
      '20261129-150000-abcd',
    ]);
  });

  it('still fails, with the journal’s error, when every id drawn is taken', async () => {
    const options = {
      journal: openFresh(),
      workflow: testWorkflow(),
      task: 'a task',
      clock,
      generateRunId: () => 'always-the-same',
    };
    await openRun(options);
    await expect(openRun(options)).rejects.toThrow(JournalError);
  });
});
