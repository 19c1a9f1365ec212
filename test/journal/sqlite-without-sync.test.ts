/**
 * Started marks and events commit without a sync of their own (`withoutSync`): only in WAL mode, always back to
 * synchronous=FULL afterwards, and a connection that cannot be put back is closed rather than left unsynced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import { markWal, withoutSync } from '../../src/journal/sqlite-transaction.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function database(journalMode: 'wal' | 'delete') {
  const dir = mkdtempSync(join(tmpdir(), 'phasewise-without-sync-'));
  dirs.push(dir);
  const file = join(dir, 'journal.db');
  const db = new (loadSqlite(file).DatabaseSync)(file);
  db.exec(`PRAGMA journal_mode = ${journalMode}`);
  db.exec('PRAGMA synchronous = FULL');
  db.exec('CREATE TABLE t (v INTEGER)');
  if (journalMode === 'wal') markWal(db);
  return db;
}

const level = (db: ReturnType<typeof database>) =>
  Number(db.prepare('PRAGMA synchronous').get()?.synchronous ?? Number.NaN);

describe('withoutSync', () => {
  it('commits at NORMAL in WAL mode and puts FULL back, also when the work throws', () => {
    const db = database('wal');
    expect(withoutSync(db, () => level(db))).toBe(1);
    expect(level(db)).toBe(2);
    expect(() =>
      withoutSync(db, () => {
        db.exec('INSERT INTO t VALUES (1)');
        throw new Error('work failed');
      }),
    ).toThrow('work failed');
    expect(level(db)).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()?.n).toBe(1);
    db.close();
  });

  it('changes nothing outside WAL mode', () => {
    const db = database('delete');
    expect(withoutSync(db, () => level(db))).toBe(2);
    db.close();
  });

  it('closes a connection it cannot put back to FULL, so nothing is recorded unsynced after it', () => {
    const db = database('wal');
    // A transaction left open (as a failed rollback would) makes SQLite refuse to change the level.
    expect(() => withoutSync(db, () => db.exec('BEGIN'))).toThrow(/transaction/i);
    expect(() => db.exec('INSERT INTO t VALUES (2)')).toThrow(/not open/i);
  });
});
