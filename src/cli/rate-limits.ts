/**
 * The composition root's provider rate limiter (`models.providers.<name>.rate_limit`): none when no provider
 * has limits; shared through Postgres when the run's journal is the shared one, so every process of that
 * journal counts the same calls; else in memory, for this process. A long wait for a slot is said on stderr.
 */
import type { ResolvedWorkflow } from '../config/index.js';
import { openPostgresAdmissions } from '../journal/index.js';
import {
  type AdmissionStore,
  createRateLimiter,
  memoryAdmissions,
  type RateLimiter,
  type RateLimitWait,
  rateLimitsOf,
} from '../provider/index.js';

export interface CliRateLimiterOptions {
  /** The shared journal's URL (`sharedDatabaseUrl`); without one, the limits hold in this process only. */
  databaseUrl?: string;
  /**
   * A store the process keeps open across runs (a worker: one `openPostgresAdmissions` per process, so one
   * holder renewing its slots), or how to open it the first time a run has limits; used instead of opening one,
   * and left open when the run's limiter closes.
   */
  store?: AdmissionStore | (() => Promise<AdmissionStore>);
  /** Where a long wait is said; default stderr. */
  onLongWait?: (wait: RateLimitWait) => void;
}

export async function openCliRateLimiter(
  workflow: Pick<ResolvedWorkflow, 'providers'>,
  options: CliRateLimiterOptions = {},
): Promise<RateLimiter | undefined> {
  const limits = rateLimitsOf(workflow.providers);
  if (Object.keys(limits).length === 0) return undefined;
  const store: AdmissionStore =
    options.store !== undefined
      ? keptOpen(typeof options.store === 'function' ? await options.store() : options.store)
      : options.databaseUrl === undefined
        ? memoryAdmissions()
        : await openPostgresAdmissions({ url: options.databaseUrl });
  return createRateLimiter({ limits, store, onLongWait: options.onLongWait ?? sayLongWait });
}

/** The in-memory limiter, for what has no journal to share limits through (the runs of `eval` and `compare`). */
export function memoryRateLimiter(workflow: Pick<ResolvedWorkflow, 'providers'>): RateLimiter | undefined {
  const limits = rateLimitsOf(workflow.providers);
  if (Object.keys(limits).length === 0) return undefined;
  return createRateLimiter({ limits, store: memoryAdmissions(), onLongWait: sayLongWait });
}

/** The store, whose `close` leaves it open (methods bound: a store may be a class instance). */
function keptOpen(store: AdmissionStore): AdmissionStore {
  return {
    tryAdmit: (provider, limit, tokens) => store.tryAdmit(provider, limit, tokens),
    release: (provider, id, tokens) => store.release(provider, id, tokens),
    close: async () => {},
  };
}

function sayLongWait(wait: RateLimitWait): void {
  process.stderr.write(
    `waiting for provider ${wait.provider}'s rate limit (${Math.round(wait.waitedMs / 1000)} s so far: ${wait.reason})\n`,
  );
}
