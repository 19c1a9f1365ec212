/**
 * A run read as running whose lock is gone a moment later, against the real SQLite journal: it may have ended in
 * between (a run writes its end, then lets its lock go), so its record is read again before it is called
 * interrupted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { liveStatus } from '../../src/report/live-status.js';

const folder = mkdtempSync(join(tmpdir(), 'phasewise-live-status-'));
const journal = openJournal({ workspace: folder });
afterAll(async () => {
  await journal.close();
  rmSync(folder, { recursive: true, force: true });
});

let runs = 0;
/** A run recorded as running and read so, with no lock held; then its record becomes `now`. */
async function readThenRecorded(now: 'running' | 'succeeded' | 'halted') {
  const runId = `20261207-000000-${String(++runs).padStart(4, '0')}`;
  const at = new Date().toISOString();
  await journal.createRun({
    runId,
    createdAt: at,
    task: 'task',
    workspace: folder,
    workflow: { phases: [], budgetUsd: 1, tiers: ['small'], tierModels: {}, providers: {} },
    workflowHash: 'hash',
  });
  await journal.updateRun(runId, {
    status: 'running',
    updatedAt: at,
    endedAt: null,
    exitCode: null,
    message: null,
  });
  const read = (await journal.getRun(runId))!;
  if (now !== 'running') {
    await journal.updateRun(runId, { status: now, updatedAt: at, endedAt: at, exitCode: 0, message: null });
  }
  return read;
}

describe('liveStatus without a lock holder', () => {
  it('gives the status the run ended with since its record was read', async () => {
    const ended = await readThenRecorded('succeeded');
    expect(ended.status).toBe('running');
    expect(await liveStatus(journal, ended)).toBe('succeeded');
    expect(await liveStatus(journal, await readThenRecorded('halted'))).toBe('halted');
  });

  it('says interrupted when the run is still recorded as running', async () => {
    expect(await liveStatus(journal, await readThenRecorded('running'))).toBe('interrupted');
  });
});
