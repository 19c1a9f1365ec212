/**
 * The run lock's rules, shared by every journal: who may take a run from its current holder, and the error that
 * names the holder when nobody may. Each journal decides inside its own atomic write (SQLite's BEGIN IMMEDIATE,
 * Postgres's row lock), so two processes deciding at once never both see the run free.
 */
import { type LockHolder, RunLockedError } from '../errors/index.js';
import type { LockOptions } from './journal.js';

export type TokenHolder = LockHolder & { token: string };

/**
 * The holder as a journal reads it when deciding: `workerGone` when it is a pool worker whose lease expired, or
 * which stopped or was recovered by a peer (only the Postgres journal has workers; SQLite never sets it).
 */
export type CurrentHolder = TokenHolder & { workerGone?: boolean };

/** What this process knows about the machine it runs on, injected so tests can play other hosts and deaths. */
export interface LockEnvironment {
  hostname: string;
  isProcessAlive(pid: number): boolean;
}

/**
 * Throws RunLockedError unless `candidate` may take the run from `current`: the same token, a holder on this host
 * whose process is gone, a worker whose lease is gone (from any host: its peers may already be recovering its
 * runs, and its writes are fenced), or (with breakLock) a holder on another host. Otherwise a holder on another
 * host may be alive and writing, so it is never presumed dead; a live holder on this host is never broken.
 */
export function requireMayTakeOver(
  runId: string,
  current: CurrentHolder | undefined,
  candidate: TokenHolder,
  environment: LockEnvironment,
  options: LockOptions = {},
): void {
  if (current === undefined || current.token === candidate.token) return;
  if (current.workerGone === true) return;
  const sameHost = current.host === environment.hostname;
  if (sameHost && !environment.isProcessAlive(current.pid)) return;
  if (options.breakLock === true && !sameHost) return;
  const { pid, host, since } = current;
  throw new RunLockedError(runId, { pid, host, since }, { alive: sameHost });
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
