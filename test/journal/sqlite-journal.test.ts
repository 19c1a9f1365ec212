import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalError, RunTakenOverError } from '../../src/errors/index.js';
import { JOURNAL_SCHEMA_VERSION, type Journal, openJournal } from '../../src/journal/index.js';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import { sampleEvents, sampleRun, sampleStep } from './contract/samples.js';
import { describeJournalContract } from './journal-contract.js';
import { finished, startJournalChild } from './support/child-process.js';
import { type TempWorkspace, tempWorkspace } from './support/temp-workspace.js';

describeJournalContract('SqliteJournal', async () => {
  const workspace = await tempWorkspace();
  const journal = openJournal({ workspace: workspace.path });
  return {
    journal,
    cleanup: async () => {
      await journal.close();
      await workspace.remove();
    },
  };
});

describe('SqliteJournal on disk', () => {
  let workspace: TempWorkspace;
  const opened: Journal[] = [];
  const open = (options: Partial<Parameters<typeof openJournal>[0]> = {}): Journal => {
    const journal = openJournal({ workspace: workspace.path, ...options });
    opened.push(journal);
    return journal;
  };
  beforeEach(async () => {
    workspace = await tempWorkspace();
  });
  afterEach(async () => {
    for (const journal of opened.splice(0)) await journal.close();
    await workspace.remove();
  });

  it('fences a writer whose lock was broken from another host: its next write stops, nothing of it is recorded', async () => {
    const first = open({ hostname: 'host-a' });
    const second = open({ hostname: 'host-b' });
    await first.createRun(sampleRun('run-1'));
    await first.acquireLock('run-1', { pid: process.pid, host: 'host-a', since: 'then', token: 'a' });
    await first.startStep({ ...sampleStep('run-1', 'research/a1/t1/model'), pid: process.pid });
    // host-a cannot be proven gone from host-b: the user says so with --break-lock.
    await second.acquireLock(
      'run-1',
      { pid: 4242, host: 'host-b', since: 'now', token: 'b' },
      { breakLock: true },
    );
    const step = sampleStep('run-1', 'research/a1/t1/model', 0.01);
    await expect(first.recordStep(step)).rejects.toThrow(RunTakenOverError);
    await expect(first.startStep({ ...sampleStep('run-1', 'research/a1/t2/model'), pid: 1 })).rejects.toThrow(
      /taken over by pid 4242 on host-b/,
    );
    await expect(first.updateRun('run-1', { status: 'failed', updatedAt: 'now' })).rejects.toThrow(
      RunTakenOverError,
    );
    await expect(first.appendEvent(sampleEvents('run-1')[0]!)).rejects.toThrow(RunTakenOverError);
    expect(await second.getStep('run-1', 'research/a1/t1/model')).toBeUndefined();
    expect((await second.getRun('run-1'))?.status).not.toBe('failed');
    expect(await second.listEvents('run-1')).toEqual([]);
    // The new holder records the step (executed again) and goes on.
    await second.recordStep(step);
    expect((await second.getStep('run-1', 'research/a1/t1/model'))?.costUsd).toBe(0.01);
  });

  it('lives in .phasewise/journal.db beside a .gitignore that ignores everything', async () => {
    const journal = open();
    expect(journal.location).toBe(join(workspace.path, '.phasewise', 'journal.db'));
    expect(await readFile(join(workspace.path, '.phasewise', '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('leaves an existing .phasewise/.gitignore as it is', async () => {
    await open().close();
    await writeFile(join(workspace.path, '.phasewise', '.gitignore'), 'journal.db\n');
    open();
    expect(await readFile(join(workspace.path, '.phasewise', '.gitignore'), 'utf8')).toBe('journal.db\n');
  });

  it('opens another file when asked, creating its directory', () => {
    const file = join(workspace.path, 'elsewhere', 'deeper', 'runs.db');
    expect(open({ file }).location).toBe(file);
  });

  it('keeps runs, steps, events and locks across close and reopen', async () => {
    const first = open();
    await first.createRun(sampleRun('run-a'));
    await first.recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.02));
    for (const event of sampleEvents('run-a')) await first.appendEvent(event);
    await first.acquireLock('run-a', { pid: process.pid, host: 'this-host', since: 'now', token: 'token' });
    await first.close();
    const second = open();
    expect((await second.getRun('run-a'))?.costUsd).toBeCloseTo(0.02, 10);
    expect((await second.listSteps('run-a')).map((step) => step.key)).toEqual(['research/a1/t1/model']);
    expect(await second.listEvents('run-a')).toEqual(sampleEvents('run-a'));
    expect((await second.getLockHolder('run-a'))?.token).toBe('token');
  });

  it('writes in WAL mode and records its schema version and creation time', async () => {
    await open({ clock: { now: () => Date.parse('2026-03-01T09:00:00.000Z') } }).close();
    const db = rawDatabase(join(workspace.path, '.phasewise', 'journal.db'));
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    expect(db.prepare('PRAGMA user_version').get()?.user_version).toBe(JOURNAL_SCHEMA_VERSION);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'created_at'").get()?.value).toBe(
      '2026-03-01T09:00:00.000Z',
    );
    db.close();
  });

  it('lets two handles on one file see each other’s writes', async () => {
    const writer = open();
    const reader = open();
    await writer.createRun(sampleRun('run-a'));
    await writer.recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.5));
    expect((await reader.getRun('run-a'))?.costUsd).toBe(0.5);
  });

  it('uses the injected host name and liveness probe to judge a holder', async () => {
    const journal = open({ hostname: 'build-box', isProcessAlive: (pid) => pid !== 4242 });
    await journal.acquireLock('run-a', { pid: 4242, host: 'build-box', since: 'then', token: 'gone' });
    await journal.acquireLock('run-a', { pid: 1, host: 'build-box', since: 'now', token: 'mine' });
    expect((await journal.getLockHolder('run-a'))?.token).toBe('mine');
  });

  it('refuses a step with no valid cost', async () => {
    const journal = open();
    await journal.createRun(sampleRun('run-a'));
    await expect(journal.recordStep(sampleStep('run-a', 'k', Number.NaN))).rejects.toThrow(JournalError);
    expect((await journal.getRun('run-a'))?.costUsd).toBe(0);
  });

  it('keeps a recorded step when the process is SIGKILLed right after recording it', async () => {
    const journal = open();
    await journal.createRun(sampleRun('run-a'));
    const child = startJournalChild([
      'record-then-kill',
      workspace.path,
      'run-a',
      'research/a1/t1/model',
      '0.03',
    ]);
    const result = await finished(child);
    expect(result.signal, result.stderr).toBe('SIGKILL');
    expect((await journal.getStep('run-a', 'research/a1/t1/model'))?.result).toEqual({
      key: 'research/a1/t1/model',
    });
    expect((await journal.getRun('run-a'))?.costUsd).toBeCloseTo(0.03, 10);
  });

  it('starts in a child process without printing the SQLite ExperimentalWarning', async () => {
    const result = await finished(startJournalChild(['open', workspace.path]));
    expect(result.stdout).toBe('ok\n');
    expect(result.stderr).not.toMatch(/ExperimentalWarning|experimental feature/);
    expect(result.code).toBe(0);
  });
});

function rawDatabase(file: string) {
  return new (loadSqlite(file).DatabaseSync)(file);
}
