/**
 * Admissions kept in memory: the rate limits of one process (the default when a provider has `rate_limit` and
 * the journal is not shared). The window slides: an admission counts for `windowMs` after it was made.
 */
import type { RateLimitConfig } from '../config/types.js';
import { refusal } from '../util/rate-limit-rule.js';
import { type AdmissionAnswer, type AdmissionStore, DEFAULT_RATE_WINDOW_MS } from './rate-limit.js';

interface Admission {
  id: string;
  at: number;
  tokens: number;
  released: boolean;
}

export interface MemoryAdmissionsOptions {
  windowMs?: number;
  now?: () => number;
}

export function memoryAdmissions(options: MemoryAdmissionsOptions = {}): AdmissionStore {
  const windowMs = options.windowMs ?? DEFAULT_RATE_WINDOW_MS;
  const now = options.now ?? (() => performance.now());
  const byProvider = new Map<string, Admission[]>();
  let next = 0;

  /** The provider's admissions still in the window or in flight (older released ones are dropped). */
  function live(provider: string, at: number): Admission[] {
    const kept = (byProvider.get(provider) ?? []).filter((a) => !a.released || a.at > at - windowMs);
    byProvider.set(provider, kept);
    return kept;
  }

  return {
    async tryAdmit(provider: string, limit: RateLimitConfig, tokens: number): Promise<AdmissionAnswer> {
      const at = now();
      const admissions = live(provider, at);
      const inWindow = admissions.filter((a) => a.at > at - windowMs);
      const counts = {
        requests: inWindow.length,
        tokens: inWindow.reduce((sum, a) => sum + a.tokens, 0),
        inFlight: admissions.filter((a) => !a.released).length,
      };
      const refused = refusal(limit, counts, tokens);
      if (refused === undefined) {
        const id = String(++next);
        admissions.push({ id, at, tokens, released: false });
        return { admitted: true, id };
      }
      const oldest = inWindow[0];
      // Calls in flight are freed by their release, which wakes the waiters; the window frees room by itself.
      const retryInMs =
        refused.freedBy === 'release' || oldest === undefined
          ? windowMs
          : Math.max(1, oldest.at + windowMs - at);
      return { admitted: false, retryInMs, reason: refused.reason };
    },
    async release(provider: string, id: string, actualTokens: number): Promise<void> {
      const admission = byProvider.get(provider)?.find((a) => a.id === id);
      if (admission === undefined) return;
      admission.released = true;
      admission.tokens = actualTokens;
    },
    async close(): Promise<void> {},
  };
}
