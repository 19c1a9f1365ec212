import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalError } from '../../src/errors/index.js';
import { openJournal } from '../../src/journal/index.js';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import { type TempWorkspace, tempWorkspace } from './support/temp-workspace.js';

/** Opening refuses what it cannot read, names the file, says what to do, and changes nothing. */
describe('opening a journal file that cannot be used', () => {
  let workspace: TempWorkspace;
  let file: string;
  beforeEach(async () => {
    workspace = await tempWorkspace();
    file = join(workspace.path, '.phasewise', 'journal.db');
    await mkdir(join(workspace.path, '.phasewise'));
  });
  afterEach(async () => {
    await workspace.remove();
  });

  it('refuses a file that is not SQLite at all', async () => {
    const garbage = `${'this is not a database\n'.repeat(200)}`;
    await writeFile(file, garbage);
    const error = openError(workspace.path);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a SQLite database, or a damaged one.*nothing was changed/);
    expect(error.hint).toMatch(/move the file aside/);
    await expectUntouched(file, garbage);
  });

  it('refuses a SQLite file whose pages are damaged', async () => {
    await openJournal({ workspace: workspace.path }).close();
    const bytes = await readFile(file);
    bytes.fill(0xa5, 100, bytes.length); // keep the 100-byte header, wreck every page after it
    await writeFile(file, bytes);
    const error = openError(workspace.path);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/damaged/);
    await expectUntouched(file, bytes);
  });

  it('refuses a journal whose tables lost a column (a damaged schema page); a read changes nothing', async () => {
    await openJournal({ workspace: workspace.path }).close();
    const db = new (loadSqlite(file).DatabaseSync)(file);
    db.exec('ALTER TABLE steps RENAME COLUMN phase_id TO phase_ix');
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const before = await readFile(file);
    const expectRefused = (error: JournalError) => {
      expect(error.message).toContain(file);
      expect(error.message).toMatch(
        /has tables this version of phasewise cannot use \(.*phase_id.*\).*nothing was changed/,
      );
      expect(error.hint).toMatch(/move it aside/);
    };
    expectRefused(openErrorWith({ workspace: workspace.path, readOnly: true }));
    // A read of a WAL journal may leave SQLite's empty -wal beside it; the journal itself is as it was.
    expect(Buffer.compare(await readFile(file), before)).toBe(0);
    expectRefused(openErrorWith({ workspace: workspace.path }));
  });

  it('refuses a SQLite database that is not a phasewise journal', async () => {
    const db = new (loadSqlite(file).DatabaseSync)(file);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    db.close();
    const before = await readFile(file);
    expect(openError(workspace.path).message).toMatch(/not a phasewise journal/);
    await expectUntouched(file, before);
  });

  it('refuses a journal written by a newer phasewise, saying which versions it reads', async () => {
    await openJournal({ workspace: workspace.path }).close();
    const db = new (loadSqlite(file).DatabaseSync)(file);
    db.exec('PRAGMA user_version = 7');
    db.close();
    const before = await readFile(file);
    const error = openError(workspace.path);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/written by a newer phasewise, version 7 .*this build reads versions 1, 2/);
    expect(error.hint).toMatch(/upgrade phasewise/);
    await expectUntouched(file, before);
  });

  it('names a directory it cannot create', async () => {
    await writeFile(join(workspace.path, 'blocker'), 'a file where a directory should be');
    const error = openError(workspace.path, join(workspace.path, 'blocker', 'journal.db'));
    expect(error.message).toMatch(/cannot create the directory/);
  });
});

function openError(workspace: string, file?: string): JournalError {
  try {
    // Opening throws; a journal that opened is a failure of the test, closed on the way out.
    void openJournal(file === undefined ? { workspace } : { workspace, file }).close();
  } catch (error) {
    expect(error).toBeInstanceOf(JournalError);
    return error as JournalError;
  }
  throw new Error('expected openJournal to fail');
}

function openErrorWith(options: Parameters<typeof openJournal>[0]): JournalError {
  try {
    void openJournal(options).close();
  } catch (error) {
    expect(error).toBeInstanceOf(JournalError);
    return error as JournalError;
  }
  throw new Error('expected openJournal to fail');
}

async function expectUntouched(file: string, before: string | Buffer): Promise<void> {
  expect(Buffer.compare(await readFile(file), Buffer.from(before))).toBe(0);
  expect(existsSync(`${file}-wal`)).toBe(false);
  expect(existsSync(`${file}-journal`)).toBe(false);
}
