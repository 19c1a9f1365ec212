/**
 * Turns what node:sqlite throws into JournalErrors that name the file and say what to do: users see
 * "move the damaged journal aside", never "SQLITE_NOTADB".
 */
import { JournalError, PhasewiseError } from '../errors/index.js';

/** SQLite primary result codes (https://www.sqlite.org/rescode.html) the journal reacts to. */
export const SqliteCode = {
  error: 1,
  busy: 5,
  readOnly: 8,
  ioError: 10,
  corrupt: 11,
  full: 13,
  cannotOpen: 14,
  notADatabase: 26,
} as const;

interface NodeSqliteError {
  code: 'ERR_SQLITE_ERROR';
  errcode: number;
  errstr: string;
  message: string;
}

function isNodeSqliteError(error: unknown): error is NodeSqliteError {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'ERR_SQLITE_ERROR' &&
    typeof (error as { errcode?: unknown }).errcode === 'number'
  );
}

/** The primary result code (extended codes carry it in their low byte), or undefined if not a SQLite error. */
export function sqlitePrimaryCode(error: unknown): number | undefined {
  return isNodeSqliteError(error) ? error.errcode & 0xff : undefined;
}

export function unreadableJournalError(file: string, cause: unknown): JournalError {
  const detail = isNodeSqliteError(cause) ? ` (${cause.message})` : '';
  return new JournalError(file, `is not a SQLite database, or a damaged one${detail}; nothing was changed`, {
    hint: 'move the file aside (e.g. rename it to journal.db.broken): phasewise then starts a new journal; the runs in the old one cannot be resumed',
    cause,
  });
}

/**
 * A journal SQLite opens but whose tables the statements cannot be prepared against (a column renamed by a
 * damaged schema page, a table changed by hand): reported as damaged, never as an internal error.
 */
export function unusableTablesError(file: string, cause: unknown): unknown {
  if (cause instanceof PhasewiseError || sqlitePrimaryCode(cause) === undefined) return cause;
  const code = sqlitePrimaryCode(cause);
  if (code !== SqliteCode.error) return toJournalError(file, 'read the journal', cause);
  return new JournalError(
    file,
    `has tables this version of phasewise cannot use (${(cause as NodeSqliteError).message}): damaged, or changed outside phasewise; nothing was changed`,
    {
      hint: 'restore it from a backup, or move it aside (e.g. rename it to journal.db.broken): phasewise then starts a new journal; the runs in the old one cannot be resumed',
      cause,
    },
  );
}

/**
 * Wraps a failure while `doing` something (e.g. "record step x") in a JournalError. Errors phasewise threw on
 * purpose pass through unchanged; anything that is not SQLite's is not ours to explain and is rethrown as is.
 */
export function toJournalError(file: string, doing: string, error: unknown): unknown {
  if (error instanceof PhasewiseError) return error;
  // JSON columns are only ever written by JSON.stringify: text that does not parse was damaged on disk.
  if (error instanceof SyntaxError) {
    return new JournalError(
      file,
      `could not ${doing}: a record is damaged (${error.message}); nothing was changed`,
      {
        hint: 'the file was changed outside phasewise; restore it from a backup, or move it aside to start a new journal',
        cause: error,
      },
    );
  }
  const code = sqlitePrimaryCode(error);
  if (code === undefined) return error;
  if (code === SqliteCode.corrupt || code === SqliteCode.notADatabase)
    return unreadableJournalError(file, error);
  if (code === SqliteCode.busy) {
    return new JournalError(file, `could not ${doing}: another process kept the journal busy for too long`, {
      hint: 'another phasewise may be stuck writing to it; retry, or stop that process',
      cause: error,
    });
  }
  const hint = hintFor(code);
  const message = (error as NodeSqliteError).message;
  return new JournalError(
    file,
    `could not ${doing}: ${message}`,
    hint ? { hint, cause: error } : { cause: error },
  );
}

function hintFor(code: number): string | undefined {
  if (code === SqliteCode.full) return 'the disk is full; free some space and resume the run';
  if (code === SqliteCode.readOnly || code === SqliteCode.cannotOpen) {
    return 'check that the directory exists and that you may write to it';
  }
  return undefined;
}
