/**
 * Damaged journals for the bad-input suite, made from a real one: truncated at random offsets, bytes changed at
 * random, a schema version from the future, a WAL without its database, another program's SQLite file, text,
 * an empty file, a directory. The journal's identity is the bytes of the database and of its WAL — a missing WAL
 * and an empty one hold the same thing (no frames); the -shm file is SQLite's shared-memory index, not data.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { sha256 } from './fuzz-support.js';

export interface JournalFiles {
  db: Buffer | 'missing' | 'directory';
  wal: Buffer | undefined;
  shm: Buffer | undefined;
}

export const JOURNAL_NAMES = ['journal.db', 'journal.db-wal', 'journal.db-shm'] as const;

export function readJournalFiles(directory: string): JournalFiles {
  const read = (name: string) =>
    existsSync(join(directory, name)) ? readFileSync(join(directory, name)) : undefined;
  const dbPath = join(directory, 'journal.db');
  const db = !existsSync(dbPath)
    ? 'missing'
    : statSync(dbPath).isDirectory()
      ? 'directory'
      : readFileSync(dbPath);
  return { db, wal: read('journal.db-wal'), shm: read('journal.db-shm') };
}

export function writeJournalFiles(directory: string, files: JournalFiles): void {
  mkdirSync(directory, { recursive: true });
  for (const name of JOURNAL_NAMES) rmSync(join(directory, name), { recursive: true, force: true });
  if (files.db === 'directory') mkdirSync(join(directory, 'journal.db'));
  else if (files.db !== 'missing') writeFileSync(join(directory, 'journal.db'), files.db);
  if (files.wal !== undefined) writeFileSync(join(directory, 'journal.db-wal'), files.wal);
  if (files.shm !== undefined) writeFileSync(join(directory, 'journal.db-shm'), files.shm);
}

/** What must never change: the database's bytes and the WAL's (absent = empty). */
export function journalIdentity(directory: string): string {
  const files = readJournalFiles(directory);
  const db = typeof files.db === 'string' ? files.db : sha256(files.db);
  return `db:${db} wal:${files.wal === undefined || files.wal.length === 0 ? 'empty' : sha256(files.wal)}`;
}

/**
 * A copy of a closed journal with recent work still in its WAL, as a crashed run leaves it: every step row
 * rewritten in a transaction whose pages are in the WAL only (no checkpoint), copied while the connection is open.
 */
export function withPendingWal(closed: Buffer, scratch: string): JournalFiles {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, 'journal.db');
  writeFileSync(file, closed);
  const db = new DatabaseSync(file);
  db.exec('PRAGMA wal_autocheckpoint = 0');
  db.exec("UPDATE steps SET result_json = result_json || ''");
  db.exec("UPDATE runs SET updated_at = updated_at || ''");
  const files = readJournalFiles(scratch);
  db.close();
  return files;
}

/** A SQLite database of some other program, with a `meta` table of its own. */
export function foreignDatabase(scratch: string): Buffer {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, 'other.db');
  const db = new DatabaseSync(file);
  db.exec("CREATE TABLE meta (k TEXT, v TEXT); INSERT INTO meta VALUES ('application', 'phasewise')");
  db.close();
  return readFileSync(file);
}

export type JournalDamage =
  | { kind: 'truncate-db'; at: number }
  | { kind: 'flip-db'; offsets: number[]; values: number[] }
  | { kind: 'zero-page'; page: number }
  | { kind: 'future-version'; version: number }
  | { kind: 'truncate-wal'; at: number }
  | { kind: 'flip-wal'; offsets: number[]; values: number[] }
  | { kind: 'wal-without-db' }
  | { kind: 'not-sqlite'; text: string }
  | { kind: 'foreign-sqlite' }
  | { kind: 'empty-db' }
  | { kind: 'db-is-directory' };

const offsets = fc.array(fc.nat(), { minLength: 1, maxLength: 8 });
const values = fc.array(fc.nat(255), { minLength: 8, maxLength: 8 });

export const journalDamage: fc.Arbitrary<JournalDamage> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate-db' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip-db' as const), offsets, values }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('zero-page' as const), page: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('future-version' as const),
      version: fc.integer({ min: 3, max: 2 ** 31 - 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate-wal' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flip-wal' as const), offsets, values }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wal-without-db' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('not-sqlite' as const),
      text: fc.oneof(
        fc.constantFrom('SQLite format 3\0', 'hello', '{"runs": []}'),
        fc.string({ unit: 'binary' }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'foreign-sqlite' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty-db' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'db-is-directory' as const }) },
);

const PAGE = 4096;

function flip(bytes: Buffer, at: number[], to: number[]): Buffer {
  const copy = Buffer.from(bytes);
  if (copy.length === 0) return copy;
  at.forEach((offset, index) => {
    const position = offset % copy.length;
    copy[position] = (to[index] ?? 0) === copy[position] ? copy[position]! ^ 0xff : (to[index] ?? 0);
  });
  return copy;
}

/** `closed` is a journal with no WAL; `pending` the same journal with recent work still in its WAL. */
export function damageJournal(
  damage: JournalDamage,
  closed: Buffer,
  pending: JournalFiles,
  foreign: Buffer,
): JournalFiles {
  const pendingDb = pending.db as Buffer;
  const pendingWal = pending.wal ?? Buffer.alloc(0);
  switch (damage.kind) {
    case 'truncate-db':
      return { db: closed.subarray(0, damage.at % closed.length), wal: undefined, shm: undefined };
    case 'flip-db':
      return { db: flip(closed, damage.offsets, damage.values), wal: undefined, shm: undefined };
    case 'zero-page': {
      const copy = Buffer.from(closed);
      const page = damage.page % Math.max(1, Math.floor(copy.length / PAGE));
      copy.fill(0, page * PAGE, (page + 1) * PAGE);
      return { db: copy, wal: undefined, shm: undefined };
    }
    case 'future-version': {
      const copy = Buffer.from(closed);
      copy.writeUInt32BE(damage.version, 60); // the header's user_version, where the schema version lives
      return { db: copy, wal: undefined, shm: undefined };
    }
    case 'truncate-wal':
      return {
        db: pendingDb,
        wal: pendingWal.subarray(0, damage.at % (pendingWal.length + 1)),
        shm: pending.shm,
      };
    case 'flip-wal':
      return { db: pendingDb, wal: flip(pendingWal, damage.offsets, damage.values), shm: pending.shm };
    case 'wal-without-db':
      return { db: 'missing', wal: pendingWal, shm: pending.shm };
    case 'not-sqlite':
      return { db: Buffer.from(damage.text, 'latin1'), wal: undefined, shm: undefined };
    case 'foreign-sqlite':
      return { db: foreign, wal: undefined, shm: undefined };
    case 'empty-db':
      return { db: Buffer.alloc(0), wal: undefined, shm: undefined };
    case 'db-is-directory':
      return { db: 'directory', wal: undefined, shm: undefined };
  }
}
