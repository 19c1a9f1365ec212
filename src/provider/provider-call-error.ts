/**
 * A failed model call, as the adapter reports it: a ProviderError (provider, model, status, retryable) plus what
 * the retry layer and the ledger need to act — the server's requested wait, the provider's own error type and
 * request id, whether content had already streamed, and any usage the provider reported before failing (a call
 * that fails after it started can still be billed).
 */
import { ProviderError } from '../errors/errors.js';
import type { ModelUsage } from './model.js';

export interface ProviderCallErrorDetails {
  provider: string;
  model: string;
  status?: number;
  retryable: boolean;
  /** From `retry-after-ms` / `retry-after`, uncapped; the retry layer applies its cap. */
  retryAfterMs?: number;
  /** The provider's error type or code (`overloaded_error`, `rate_limit_exceeded`, ...). */
  errorType?: string;
  requestId?: string;
  /** True when the failure came after text or a tool call had started streaming. */
  afterContent?: boolean;
  /** True when the stream went silent for longer than the stall timeout. */
  stalled?: boolean;
  /** Set when the connection failed (never made, refused, dropped): the cause as named (`ECONNREFUSED`, `bad port`). */
  connectionFailure?: string;
  usage?: ModelUsage;
}

export class ProviderCallError extends ProviderError {
  readonly retryAfterMs: number | undefined;
  readonly errorType: string | undefined;
  readonly requestId: string | undefined;
  readonly afterContent: boolean;
  readonly stalled: boolean;
  readonly connectionFailure: string | undefined;
  readonly usage: ModelUsage | undefined;

  constructor(message: string, details: ProviderCallErrorDetails, options: { hint?: string } = {}) {
    super(
      message,
      {
        provider: details.provider,
        model: details.model,
        retryable: details.retryable,
        ...(details.status === undefined ? {} : { status: details.status }),
      },
      options,
    );
    // Named as its class; `instanceof ProviderError` still holds for callers that handle any provider failure.
    this.name = 'ProviderCallError';
    this.retryAfterMs = details.retryAfterMs;
    this.errorType = details.errorType;
    this.requestId = details.requestId;
    this.afterContent = details.afterContent ?? false;
    this.stalled = details.stalled ?? false;
    this.connectionFailure = details.connectionFailure;
    this.usage = details.usage;
  }
}

/** Usage of two calls (or attempts) billed together. */
export function addUsage(a: ModelUsage | undefined, b: ModelUsage | undefined): ModelUsage | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const write1h = (a.cacheWrite1h ?? 0) + (b.cacheWrite1h ?? 0);
  return {
    inputNoCache: a.inputNoCache + b.inputNoCache,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    ...(a.cacheWrite1h === undefined && b.cacheWrite1h === undefined ? {} : { cacheWrite1h: write1h }),
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
    raw: b.raw,
  };
}

/** The same failure, carrying `usage` as what it cost (e.g. summed over every attempt the retry layer made). */
export function withUsage(error: ProviderCallError, usage: ModelUsage | undefined): ProviderCallError {
  if (usage === undefined || usage === error.usage) return error;
  return new ProviderCallError(
    error.message,
    {
      provider: error.provider,
      model: error.model,
      retryable: error.retryable,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.errorType === undefined ? {} : { errorType: error.errorType }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      afterContent: error.afterContent,
      stalled: error.stalled,
      ...(error.connectionFailure === undefined ? {} : { connectionFailure: error.connectionFailure }),
      usage,
    },
    error.hint === undefined ? {} : { hint: error.hint },
  );
}
