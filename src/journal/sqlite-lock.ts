/**
 * The run lock: which process may write a run. Taken inside BEGIN IMMEDIATE, so two processes deciding at the
 * same moment are serialized by SQLite and exactly one of them sees the lock free.
 */
import { type LockHolder, RunLockedError, RunTakenOverError } from '../errors/index.js';
import type { LockOptions } from './journal.js';
import type { DatabaseSync } from './sqlite-module.js';
import { type LockRow, toLockHolder } from './sqlite-rows.js';
import { inWriteTransaction } from './sqlite-transaction.js';

export type TokenHolder = LockHolder & { token: string };

/** What this process knows about the machine it runs on, injected so tests can play other hosts and deaths. */
export interface LockEnvironment {
  hostname: string;
  isProcessAlive(pid: number): boolean;
}

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
    const current = readLockHolder(db, runId);
    if (current !== undefined && !mayTakeOver(current, holder, environment)) {
      const { pid, host, since } = current;
      // --break-lock is for a holder that cannot be proven gone (another host); a live one here is never broken.
      if (options.breakLock !== true || current.host === environment.hostname)
        throw new RunLockedError(
          runId,
          { pid, host, since },
          { alive: current.host === environment.hostname },
        );
    }
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

/**
 * Ours again, or its holder is provably gone. Only a process on this host can be checked; one on another
 * host may be alive and writing, so it is never presumed dead.
 */
function mayTakeOver(current: TokenHolder, candidate: TokenHolder, environment: LockEnvironment): boolean {
  if (current.token === candidate.token) return true;
  return current.host === environment.hostname && !environment.isProcessAlive(current.pid);
}

/** Signal 0 checks existence without touching the process; EPERM means it exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  // 0 and negative pids address process groups, so kill() would answer for some other process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
