/**
 * A worker's lease: registered when the worker starts, renewed every third of the lease on the database's clock,
 * and after each renewal a claim of the expired peers of the same version, whose runs `recover` moves here
 * (through DBOS: dbos-recovery.ts; the claims: lease-claims.ts).
 *
 * A worker that cannot renew within its lease must assume its peers have taken its runs: `onLost` fires once, at
 * the latest a lease after the last renewal that succeeded (counted from when it was sent, so before any peer can
 * see it expired), or at once when a renewal finds the lease already claimed. Failed renewals are retried every
 * sixth of the lease until then, never past it; each query is bounded by the registry's own timeout.
 */
import { hostname } from 'node:os';
import { UsageError } from '../errors/index.js';
import type { WorkerRegistry } from '../journal/index.js';
import type { Redactor } from '../util/redact.js';
import { claimAndRecover } from './lease-claims.js';
import { type LeaseLog, type LeaseLogEntry, leaseLog, messageOf } from './lease-log.js';

export type { LeaseLogEntry } from './lease-log.js';

export interface LeaseOptions {
  /** The workers table (`openWorkerRegistry`, with a timeout under a third of the lease); the caller closes it. */
  registry: WorkerRegistry;
  /** Unique per process; the worker's DBOS executor id, so recovering the worker recovers that executor. */
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
   * have finished or been handed back. With `leaveForRecovery`, the lease is left to expire and peers recover
   * the worker's unfinished runs. A worker that lost its lease is never marked stopped, for the same reason.
   */
  stop(options?: { leaveForRecovery?: boolean }): Promise<void>;
}

const REGISTER_ATTEMPTS = 3;

/** Registers the worker (retried a few times, then thrown) and starts renewing. */
export async function startLease(options: LeaseOptions): Promise<Lease> {
  const { leaseMs } = options;
  if (!Number.isFinite(leaseMs) || leaseMs < 30) {
    throw new UsageError(`the worker lease must be a number of milliseconds, at least 30 (got ${leaseMs})`, {
      hint: 'give a lease of a few seconds: long enough that a busy worker renews it (every third of it) in time',
    });
  }
  const keeper = new LeaseKeeper(options);
  await keeper.register();
  return { stop: (stopOptions) => keeper.stop(stopOptions) };
}

class LeaseKeeper {
  readonly #options: LeaseOptions;
  readonly #log: LeaseLog;
  readonly #now: () => number;
  readonly #renewEveryMs: number;
  readonly #retryAfterMs: number;
  #lastRenewalSentAt = 0;
  #state: 'renewing' | 'stopped' | 'lost' = 'renewing';
  #failures = 0;
  #lastError = '';
  #nextRenewal: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #inFlight = new Set<Promise<void>>();
  #claiming = false;

  constructor(options: LeaseOptions) {
    this.#options = options;
    this.#log = leaseLog(options.workerId, options.log, options.redactor);
    this.#now = options.now ?? (() => performance.now());
    this.#renewEveryMs = Math.max(10, Math.round(options.leaseMs / 3));
    this.#retryAfterMs = Math.max(5, Math.round(options.leaseMs / 6));
  }

  async register(): Promise<void> {
    const { registry, workerId, appVersion, leaseMs } = this.#options;
    this.#lastRenewalSentAt = this.#now();
    const worker = {
      workerId,
      host: this.#options.host ?? hostname(),
      pid: this.#options.pid ?? process.pid,
      appVersion,
      leaseMs,
    };
    await this.#withRetries('register', () => registry.register(worker));
    this.#log('info', `registered (version ${appVersion}, lease ${leaseMs} ms) in ${registry.location}`);
    this.#armDeadline();
    this.#renewIn(this.#renewEveryMs);
  }

  async stop({ leaveForRecovery = false } = {}): Promise<void> {
    const wasRenewing = this.#state === 'renewing';
    this.#end('stopped');
    await Promise.allSettled([...this.#inFlight]);
    if (leaveForRecovery || !wasRenewing) return;
    await this.#withRetries('mark this worker stopped', () =>
      this.#options.registry.markStopped(this.#options.workerId),
    );
    this.#log('info', 'stopped');
  }

  async #renew(): Promise<void> {
    const sentAt = this.#now();
    let held: boolean;
    try {
      held = await this.#options.registry.renew(this.#options.workerId);
    } catch (error) {
      this.#failures += 1;
      this.#lastError = messageOf(error);
      this.#log('warn', `could not renew the lease (attempt ${this.#failures}): ${this.#lastError}`);
      this.#renewIn(this.#retryAfterMs);
      return;
    }
    if (this.#state !== 'renewing') return;
    if (!held) {
      this.#lose('a peer found it expired and took this worker’s runs, or the worker was marked stopped');
      return;
    }
    if (this.#failures > 0) this.#log('info', `lease renewed again after ${this.#failures} failed attempts`);
    this.#failures = 0;
    this.#lastRenewalSentAt = sentAt;
    this.#armDeadline();
    this.#renewIn(this.#renewEveryMs);
    if (!this.#claiming) this.#track(this.#claim());
  }

  async #claim(): Promise<void> {
    this.#claiming = true;
    try {
      await claimAndRecover({
        ...this.#options,
        log: this.#log,
        isActive: () => this.#state === 'renewing',
      });
    } finally {
      this.#claiming = false;
    }
  }

  #renewIn(delayMs: number): void {
    if (this.#state !== 'renewing') return;
    clearTimeout(this.#nextRenewal);
    this.#nextRenewal = setTimeout(() => this.#track(this.#renew()), delayMs);
  }

  #armDeadline(): void {
    clearTimeout(this.#deadline);
    const left = Math.max(0, this.#lastRenewalSentAt + this.#options.leaseMs - this.#now());
    this.#deadline = setTimeout(() => {
      this.#lose(
        `could not renew it within ${this.#options.leaseMs} ms (${this.#failures} failed attempts; last: ${this.#lastError})`,
      );
    }, left);
  }

  #lose(reason: string): void {
    if (this.#state !== 'renewing') return;
    this.#end('lost');
    this.#log('error', `lease lost: ${reason}; stopping this worker's runs`);
    try {
      this.#options.onLost(reason);
    } catch (error) {
      // Called from a timer: a throw here would end the process without saying why.
      this.#log('error', `stopping this worker's runs failed: ${messageOf(error)}`);
    }
  }

  #end(state: 'stopped' | 'lost'): void {
    if (this.#state === 'renewing') this.#state = state;
    clearTimeout(this.#nextRenewal);
    clearTimeout(this.#deadline);
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  async #withRetries(doing: string, work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        return;
      } catch (error) {
        if (attempt >= REGISTER_ATTEMPTS) throw error;
        this.#log(
          'warn',
          `could not ${doing} (attempt ${attempt} of ${REGISTER_ATTEMPTS}): ${messageOf(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, this.#retryAfterMs * attempt));
      }
    }
  }
}
