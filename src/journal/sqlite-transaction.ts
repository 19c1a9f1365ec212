import type { DatabaseSync } from './sqlite-module.js';

/**
 * Runs `work` in a write transaction taken up front (BEGIN IMMEDIATE): a transaction that starts reading and
 * only later writes can fail with SQLITE_BUSY when another process wrote in between, whereas IMMEDIATE waits
 * (busy_timeout) for the write lock first — which is also what makes read-then-decide-then-write atomic
 * across processes (the run lock, duplicate step keys).
 */
export function inWriteTransaction<T>(db: DatabaseSync, work: () => T): T {
  return inTransaction(db, 'BEGIN IMMEDIATE', work);
}

/** Several reads that must see one snapshot, e.g. the schema version and the tables it describes. */
export function inReadTransaction<T>(db: DatabaseSync, work: () => T): T {
  return inTransaction(db, 'BEGIN DEFERRED', work);
}

function inTransaction<T>(db: DatabaseSync, begin: string, work: () => T): T {
  db.exec(begin);
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    rollbackQuietly(db);
    throw error;
  }
}

function rollbackQuietly(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // Some failures (disk full, I/O) make SQLite roll back on its own; the original error is the one to report.
  }
}

/** Connections whose journal is in WAL mode: only there is an unsynced commit safe from corruption. */
const walDatabases = new WeakSet<DatabaseSync>();

export function markWal(db: DatabaseSync): void {
  walDatabases.add(db);
}

/**
 * Runs `work` with commits that are not synced (synchronous=NORMAL, WAL mode), then restores FULL. What it
 * commits survives the process being killed at once (it is in the WAL, in the OS's hands); against a machine
 * crash it is safe from the next synced commit on, which writes the WAL out up to and including it. Outside WAL
 * mode it changes nothing. A connection whose FULL cannot be restored (a transaction a failed rollback left
 * open) is closed: it must not go on recording steps unsynced, and every later use of it fails loudly.
 */
export function withoutSync<T>(db: DatabaseSync, work: () => T): T {
  if (!walDatabases.has(db)) return work();
  db.exec('PRAGMA synchronous = NORMAL');
  let result: T;
  try {
    result = work();
  } catch (error) {
    restoreFullSync(db);
    throw error;
  }
  const restoreError = restoreFullSync(db);
  if (restoreError !== undefined) throw restoreError;
  return result;
}

/** Back to synchronous=FULL; on failure the connection is closed and the failure returned. */
function restoreFullSync(db: DatabaseSync): unknown {
  try {
    db.exec('PRAGMA synchronous = FULL');
    return undefined;
  } catch (error) {
    try {
      db.close();
    } catch {
      // Closing is the fallback; the failure to restore is what gets reported.
    }
    return error;
  }
}
