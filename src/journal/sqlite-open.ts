/**
 * Opening a journal file: refuse what cannot be read before touching it, then set the connection up for
 * durability and concurrency, then create or migrate the schema in one write transaction.
 */
import { EmptyJournalError, JournalError } from '../errors/index.js';
import type { Clock } from '../util/clock.js';
import { JOURNAL_SCHEMA_VERSION } from './journal.js';
import { SqliteCode, sqlitePrimaryCode, toJournalError } from './sqlite-errors.js';
import { assertReadableVersion, migrateSchema } from './sqlite-migrations.js';
import { type DatabaseSync, loadSqlite } from './sqlite-module.js';
import { createSchema, JOURNAL_APPLICATION } from './sqlite-schema.js';
import { inReadTransaction, inWriteTransaction } from './sqlite-transaction.js';

/**
 * How long a process waits for the journal's write lock before giving up. Writes are short, but fifty runs
 * sharing one journal on two cores queue for it (each commit is synced), and SQLite's busy handler is not fair:
 * at 5 s some runs failed (test/reliability/concurrency.test.ts). A run that waits is better than one that fails.
 */
export const BUSY_TIMEOUT_MS = 60_000;

type JournalState = { kind: 'empty' } | { kind: 'journal'; version: number };

export interface OpenDatabaseOptions {
  /**
   * For commands that only read (status, runs, report): a read-only connection, which can neither migrate,
   * initialize, nor checkpoint the file — a damaged journal is reported exactly as it was found.
   */
  readOnly?: boolean;
  /** An empty file is refused instead of given a schema (commands that need an existing journal). */
  mustExist?: boolean;
}

export function openDatabase(file: string, clock: Clock, options: OpenDatabaseOptions = {}): DatabaseSync {
  // Closing a writable connection checkpoints and removes the WAL, even after a refusal: check read-only first.
  if (options.mustExist === true && options.readOnly !== true)
    openDatabase(file, clock, { readOnly: true }).close();
  const { DatabaseSync } = loadSqlite(file);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, options.readOnly === true ? { readOnly: true } : {});
  } catch (error) {
    throw toJournalError(file, 'open the journal', error);
  }
  let reopen = false;
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Read-only first: a corrupt, foreign or newer file is refused before WAL mode or a schema is written to it.
    const state = inReadTransaction(db, () => readJournalState(db, file));
    if (state.kind === 'empty' && (options.mustExist === true || options.readOnly === true)) {
      throw new EmptyJournalError(file, 'is empty: it holds no journal and no runs; nothing was changed', {
        hint: 'start a run with `phasewise run "<task>"`, which sets the journal up',
      });
    }
    if (options.readOnly === true) {
      if (state.kind === 'journal' && state.version >= JOURNAL_SCHEMA_VERSION) return db;
      // A healthy journal of an older version is upgraded (in one transaction) before it is read.
      db.close();
      reopen = true;
    } else {
      configureConnection(db);
      if (state.kind === 'empty' || state.version < JOURNAL_SCHEMA_VERSION) {
        inWriteTransaction(db, () => upgradeToCurrent(db, file, clock));
      }
      return db;
    }
  } catch (error) {
    if (!reopen) db.close();
    throw toJournalError(file, 'open the journal', error);
  }
  return openDatabase(file, clock);
}

function configureConnection(db: DatabaseSync): void {
  // WAL lets readers (status, report) work while a run writes. In WAL mode a commit is not synced inside COMMIT
  // (synchronous=NORMAL): the journal syncs the WAL afterwards and answers a write that must be on disk only then
  // (`sqlite-wal-sync.ts`). Without WAL (a file system without shared memory) every commit
  // is synced inside COMMIT (synchronous=FULL), on the event loop.
  db.exec(`PRAGMA synchronous = ${switchToWal(db) ? 'NORMAL' : 'FULL'}`);
  db.exec('PRAGMA foreign_keys = ON');
}

/** Whether the connection leaves syncing to the journal (`configureConnection`): WAL at synchronous=NORMAL. */
export function syncsAfterCommit(db: DatabaseSync): boolean {
  return (
    db.prepare('PRAGMA journal_mode').get()?.journal_mode === 'wal' &&
    Number(db.prepare('PRAGMA synchronous').get()?.synchronous) === 1
  );
}

/**
 * Switching a new file to WAL needs it to itself, and SQLite answers SQLITE_BUSY at once instead of calling the
 * busy handler when several processes open a new journal together; so wait and retry like busy_timeout would.
 */
function switchToWal(db: DatabaseSync): boolean {
  if (db.prepare('PRAGMA journal_mode').get()?.journal_mode === 'wal') return true;
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      // SQLite answers with the mode now in effect: a file system without shared memory keeps the old one.
      return db.prepare('PRAGMA journal_mode = WAL').get()?.journal_mode === 'wal';
    } catch (error) {
      if (sqlitePrimaryCode(error) !== SqliteCode.busy || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/** Decides again inside the transaction: another process may have created or migrated it in the meantime. */
function upgradeToCurrent(db: DatabaseSync, file: string, clock: Clock): void {
  const state = readJournalState(db, file);
  if (state.kind === 'empty') createSchema(db, new Date(clock.now()).toISOString());
  else if (state.version < JOURNAL_SCHEMA_VERSION) migrateSchema(db, state.version, file);
}

function readJournalState(db: DatabaseSync, file: string): JournalState {
  const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all()
    .map((row) => String(row.name));
  if (tables.length === 0 && version === 0) return { kind: 'empty' };
  if (!tables.includes('meta') || readApplication(db) !== JOURNAL_APPLICATION) {
    throw new JournalError(file, 'is a SQLite database but not a phasewise journal; nothing was changed', {
      hint: 'point phasewise at another journal file, or move this one aside',
    });
  }
  assertReadableVersion(version, file);
  return { kind: 'journal', version };
}

function readApplication(db: DatabaseSync): string | undefined {
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'application'").get();
    return row === undefined ? undefined : String(row.value);
  } catch {
    return undefined; // another program's `meta` table, with other columns
  }
}
