/**
 * When an attempt's prompt cache should be written to last an hour. Anthropic keeps a cache entry five minutes
 * from its last write or read; a write with a one-hour lifetime costs 2× the input price instead of 1.25×, and a
 * read 0.1× either way. In a tool loop each turn reads what the one before wrote, so five minutes is enough while
 * turns come quickly. When they do not — a test suite or build that runs for minutes, a slow model — every such
 * gap finds the entry gone and writes the whole prompt again at 1.25×, where the hour's entry would be read at
 * 0.1×: one hour-long write (0.75× more) pays for itself at the first long gap it bridges.
 *
 * The rule, from the gaps between an attempt's calls (call start to call start, as an entry's lifetime runs from
 * when its request is read): after a gap an hour's entry would have bridged and five minutes' would not, the next
 * calls write for an hour — a loop slow once tends to be slow again (the same command runs again) — until
 * `SHORT_GAPS_TO_RETURN` gaps in a row were not of that kind. A gap of more than an hour is not: no entry
 * survives it. bench/cache-lifetime.ts prices the rule against always five minutes and always an hour. Only calls
 * made count: a turn replayed from the journal took no time.
 */
import type { CacheLifetime } from '../provider/model.js';
import type { Clock } from '../util/clock.js';

/** Anthropic's two lifetimes of a cache entry. */
export const DEFAULT_CACHE_LIFETIME_MS = 5 * 60_000;
export const LONG_CACHE_LIFETIME_MS = 60 * 60_000;
/** Gaps in a row that an hour's entry was not needed for, before the attempt writes for five minutes again. */
export const SHORT_GAPS_TO_RETURN = 3;

export class AttemptCacheLifetime {
  #lastCallAt: number | undefined;
  /** Gaps since the last one only an hour's entry bridged (none yet: as good as many). */
  #gapsSinceLong = SHORT_GAPS_TO_RETURN;

  constructor(private readonly clock: Clock) {}

  /** The lifetime for a call about to be made now. */
  next(): CacheLifetime {
    const now = this.clock.now();
    if (this.#lastCallAt !== undefined) {
      const gap = now - this.#lastCallAt;
      const onlyAnHourBridges = gap > DEFAULT_CACHE_LIFETIME_MS && gap <= LONG_CACHE_LIFETIME_MS;
      this.#gapsSinceLong = onlyAnHourBridges ? 0 : this.#gapsSinceLong + 1;
    }
    this.#lastCallAt = now;
    return this.#gapsSinceLong < SHORT_GAPS_TO_RETURN ? '1h' : '5m';
  }
}
