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
