/**
 * The run lock: which process may write a run. Taken inside BEGIN IMMEDIATE, so two processes deciding at the
 * same moment are serialized by SQLite and exactly one of them sees the lock free.
 */
import { RunTakenOverError } from '../errors/index.js';
import type { LockOptions } from './journal.js';
import { type LockRow, toLockHolder } from './journal-rows.js';
import { type LockEnvironment, requireMayTakeOver, type TokenHolder } from './lock-rules.js';
import type { DatabaseSync } from './sqlite-module.js';
import { inWriteTransaction } from './sqlite-transaction.js';

export { isProcessAlive, type LockEnvironment, type TokenHolder } from './lock-rules.js';

// Read at every write of a lock holder (fencing): prepared once per connection.
const holderQueries = new WeakMap<DatabaseSync, ReturnType<DatabaseSync['prepare']>>();

export function readLockHolder(db: DatabaseSync, runId: string): TokenHolder | undefined {
  let query = holderQueries.get(db);
  if (query === undefined) {
    query = db.prepare('SELECT token, pid, host, since FROM locks WHERE run_id = ?');
    holderQueries.set(db, query);
  }
  const row = query.get(runId);
  return row === undefined ? undefined : toLockHolder(row as unknown as LockRow);
}

export function acquireRunLock(
  db: DatabaseSync,
  runId: string,
  holder: TokenHolder,
  environment: LockEnvironment,
  options: LockOptions = {},
): void {
  inWriteTransaction(db, () => {
    requireMayTakeOver(runId, readLockHolder(db, runId), holder, environment, options);
    db.prepare('INSERT OR REPLACE INTO locks (run_id, token, pid, host, since) VALUES (?, ?, ?, ?, ?)').run(
      runId,
      holder.token,
      holder.pid,
      holder.host,
      holder.since,
    );
  });
}

/**
 * Fencing: a writer that took the lock checks, in the transaction of each write, that it still holds it. A
 * process whose lock was broken from another host stops at its next write instead of recording a step the new
 * holder may have executed again (or marking the run failed while the other finishes it).
 */
export function requireLockHeld(db: DatabaseSync, runId: string, token: string, doing: string): void {
  const current = readLockHolder(db, runId);
  if (current?.token === token) return;
  throw new RunTakenOverError(
    runId,
    current === undefined ? undefined : { pid: current.pid, host: current.host, since: current.since },
    doing,
  );
}

export function releaseRunLock(db: DatabaseSync, runId: string, token: string): void {
  db.prepare('DELETE FROM locks WHERE run_id = ? AND token = ?').run(runId, token);
}
