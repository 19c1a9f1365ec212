/**
 * A worker's lease: registered when the worker starts, renewed every third of the lease on the database's clock,
 * and after each renewal a claim of the peers of the same version whose leases have expired, handed to
 * `recover` (which moves their DBOS workflows here: dbos-recovery.ts). A claim that `recover` fails on is given
 * back, so the next renewal — this worker's or a peer's — tries again.
 *
 * A worker that cannot renew within its lease must assume its peers have taken its runs: `onLost` fires once, at
 * the latest a lease after the last renewal that succeeded (counted from when it was sent, so before any peer
 * can see it expired), or at once when a renewal finds the lease already claimed. Failed renewals are retried
 * until then, never past it. Messages go through the redactor; the registry's errors never hold the password.
 */
import { hostname } from 'node:os';
import type { WorkerRegistry } from '../journal/index.js';
import type { Redactor } from '../util/redact.js';

export interface LeaseLogEntry {
  level: 'info' | 'warn' | 'error';
  workerId: string;
  message: string;
}

export interface LeaseOptions {
  /** The workers table (`openWorkerRegistry`, with a timeout under a third of the lease); the caller closes it. */
  registry: WorkerRegistry;
  workerId: string;
  appVersion: string;
  leaseMs: number;
  /** Moves the dead workers' runs to this worker; the workers are claimed by this one alone when it is called. */
  recover(deadWorkerIds: string[]): Promise<void>;
  /** The lease is gone: the worker must stop its runs now (its journal writes are fenced anyway). */
  onLost(reason: string): void;
  log?: (entry: LeaseLogEntry) => void;
  redactor?: Redactor;
  host?: string;
  pid?: number;
  /** Milliseconds on a monotonic clock; injected by tests. */
  now?: () => number;
}

export interface Lease {
  /**
   * Stops renewing. By default the worker is marked stopped, so its peers leave it alone: do that once its runs
   * have finished or been handed back. With `leaveForRecovery`, the lease is simply left to expire and peers
   * recover the worker's unfinished runs.
   */
  stop(options?: { leaveForRecovery?: boolean }): Promise<void>;
}

const REGISTER_ATTEMPTS = 3;

/** Registers the worker (retried a few times, then thrown) and starts renewing. */
export async function startLease(options: LeaseOptions): Promise<Lease> {
  const { registry, workerId, appVersion, leaseMs } = options;
  if (!Number.isFinite(leaseMs) || leaseMs < 30) {
    throw new RangeError(`leaseMs must be a number of milliseconds, at least 30 (got ${leaseMs})`);
  }
  const now = options.now ?? (() => performance.now());
  const log = (level: LeaseLogEntry['level'], message: string) => {
    const text = options.redactor === undefined ? message : options.redactor.redact(message);
    (options.log ?? writeToStderr)({ level, workerId, message: text });
  };
  const renewEveryMs = Math.max(10, Math.round(leaseMs / 3));
  const retryAfterMs = Math.max(5, Math.round(leaseMs / 6));

  let lastRenewalSentAt = now();
  await withRetries(REGISTER_ATTEMPTS, retryAfterMs, log, 'register', () =>
    registry.register({
      workerId,
      host: options.host ?? hostname(),
      pid: options.pid ?? process.pid,
      appVersion,
      leaseMs,
    }),
  );
  log('info', `registered (version ${appVersion}, lease ${leaseMs} ms) in ${registry.location}`);

  let stopped = false;
  let renewing: Promise<void> | undefined;
  let claiming: Promise<void> | undefined;
  let failures = 0;
  let lastError = '';
  let nextRenewal: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;

  const end = () => {
    stopped = true;
    clearTimeout(nextRenewal);
    clearTimeout(deadline);
  };
  const lose = (reason: string) => {
    if (stopped) return;
    end();
    log('error', `lease lost: ${reason}; stopping this worker's runs`);
    options.onLost(reason);
  };
  const armDeadline = () => {
    clearTimeout(deadline);
    const left = Math.max(0, lastRenewalSentAt + leaseMs - now());
    deadline = setTimeout(() => {
      lose(`could not renew it within ${leaseMs} ms (${failures} failed attempts; last: ${lastError})`);
    }, left);
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(nextRenewal);
    nextRenewal = setTimeout(() => {
      renewing = renew().finally(() => {
        renewing = undefined;
      });
    }, delayMs);
  };
  const renew = async () => {
    const sentAt = now();
    let held: boolean;
    try {
      held = await options.registry.renew(workerId);
    } catch (error) {
      failures += 1;
      lastError = messageOf(error);
      log('warn', `could not renew the lease (attempt ${failures}): ${lastError}`);
      schedule(retryAfterMs);
      return;
    }
    if (stopped) return;
    if (!held) {
      lose('a peer found it expired and took this worker’s runs, or the worker was marked stopped');
      return;
    }
    if (failures > 0) log('info', `lease renewed again after ${failures} failed attempts`);
    failures = 0;
    lastRenewalSentAt = sentAt;
    armDeadline();
    schedule(renewEveryMs);
    if (claiming === undefined) {
      claiming = claimAndRecover().finally(() => {
        claiming = undefined;
      });
    }
  };
  const claimAndRecover = async () => {
    let dead: string[];
    try {
      dead = await registry.claimDead(workerId, appVersion);
    } catch (error) {
      log('warn', `could not look for dead peers: ${messageOf(error)}`);
      return;
    }
    if (dead.length === 0 || stopped) return;
    log('info', `claimed dead peers ${dead.join(', ')}; recovering their runs`);
    try {
      await options.recover(dead);
      log('info', `recovered the runs of ${dead.join(', ')}`);
    } catch (error) {
      log('error', `could not recover the runs of ${dead.join(', ')}: ${messageOf(error)}; giving them back`);
      await registry.releaseClaims(workerId, dead).catch((release: unknown) => {
        log('error', `could not give back the claim of ${dead.join(', ')}: ${messageOf(release)}`);
      });
    }
  };

  armDeadline();
  schedule(renewEveryMs);

  return {
    async stop({ leaveForRecovery = false } = {}) {
      const wasLost = stopped;
      end();
      await Promise.allSettled([renewing, claiming]);
      // A worker that lost its lease never marks itself stopped: its runs are its peers' to recover.
      if (leaveForRecovery || wasLost) return;
      await withRetries(REGISTER_ATTEMPTS, retryAfterMs, log, 'mark this worker stopped', () =>
        registry.markStopped(workerId),
      );
      log('info', 'stopped');
    },
  };
}

async function withRetries(
  attempts: number,
  waitMs: number,
  log: (level: LeaseLogEntry['level'], message: string) => void,
  doing: string,
  work: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await work();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      log('warn', `could not ${doing} (attempt ${attempt} of ${attempts}): ${messageOf(error)}`);
      await new Promise((resolve) => setTimeout(resolve, waitMs * attempt));
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function writeToStderr({ level, workerId, message }: LeaseLogEntry): void {
  process.stderr.write(`phasewise worker ${workerId} ${level}: ${message}\n`);
}
