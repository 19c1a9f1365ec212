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
  usage?: ModelUsage;
}

export class ProviderCallError extends ProviderError {
  readonly retryAfterMs: number | undefined;
  readonly errorType: string | undefined;
  readonly requestId: string | undefined;
  readonly afterContent: boolean;
  readonly stalled: boolean;
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
    // A stable name: callers and journals know one provider failure type, this class only adds detail.
    this.name = 'ProviderError';
    this.retryAfterMs = details.retryAfterMs;
    this.errorType = details.errorType;
    this.requestId = details.requestId;
    this.afterContent = details.afterContent ?? false;
    this.stalled = details.stalled ?? false;
    this.usage = details.usage;
  }
}
