/**
 * The admission rule of provider rate limits (`provider/rate-limit.ts`), which both stores apply — memory and
 * Postgres — to what they count for one provider: a call fits when the window's
 * requests and tokens and the calls in flight stay within the limits with it added. A call whose estimate alone
 * is over `tokens_per_minute` could never fit, so it is admitted when the window holds no tokens, alone.
 */

/** The limits as `config/types.ts`'s RateLimitConfig gives them (a leaf imports no layer). */
export interface RateLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  maxConcurrent?: number;
}

export interface WindowCounts {
  /** Admissions in the window, and their tokens (actual ones for released calls, estimates for the others). */
  requests: number;
  tokens: number;
  /** Calls admitted and not released (nor expired). */
  inFlight: number;
}

/** Why a call does not fit, in words, and what frees room: a call's release, or time moving the window. */
export interface Refusal {
  reason: string;
  freedBy: 'release' | 'window';
}

/** `undefined` when the call fits, else the limit it would break. */
export function refusal(limit: RateLimits, counts: WindowCounts, tokens: number): Refusal | undefined {
  if (limit.maxConcurrent !== undefined && counts.inFlight >= limit.maxConcurrent)
    return {
      reason: `${counts.inFlight} call(s) in flight, max_concurrent ${limit.maxConcurrent}`,
      freedBy: 'release',
    };
  if (limit.requestsPerMinute !== undefined && counts.requests >= limit.requestsPerMinute)
    return {
      reason: `${counts.requests} request(s) in the window, requests_per_minute ${limit.requestsPerMinute}`,
      freedBy: 'window',
    };
  if (
    limit.tokensPerMinute !== undefined &&
    counts.tokens > 0 &&
    counts.tokens + tokens > limit.tokensPerMinute
  )
    return {
      reason: `${counts.tokens} + ${tokens} token(s) in the window, tokens_per_minute ${limit.tokensPerMinute}`,
      // A release may lower an estimate to the tokens really used; the window moving always frees some.
      freedBy: 'window',
    };
  return undefined;
}
