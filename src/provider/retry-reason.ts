/**
 * Why a call is being tried again, in words a person waiting on it understands: `rate limited by anthropic (HTTP
 * 429)`, not the provider's error body. Read from what `classify-error.ts` already decided about the failure.
 */
import type { ProviderError } from '../errors/errors.js';
import { ProviderCallError } from './provider-call-error.js';

export function retryReason(error: ProviderError, provider: string): string {
  const status = error.status;
  const type = error instanceof ProviderCallError ? error.errorType : undefined;
  if (error instanceof ProviderCallError && error.stalled)
    return `${provider} went silent mid-call (stalled)`;
  if (status === 429 || type === 'rate_limit_error' || type === 'rate_limit_exceeded') {
    return `rate limited by ${provider}${httpStatus(status)}`;
  }
  if (status === 529 || type === 'overloaded_error') return `${provider} is overloaded${httpStatus(status)}`;
  if (status === 408 || status === 504 || type === 'timeout_error') {
    return `${provider} timed out${httpStatus(status)}`;
  }
  if (status !== undefined && status >= 500) return `${provider} server error${httpStatus(status)}`;
  if (status !== undefined)
    return `${provider} answered HTTP ${status}${type === undefined ? '' : ` ${type}`}`;
  if (error instanceof ProviderCallError && error.connectionFailure !== undefined) {
    return `connection to ${provider} failed (${error.connectionFailure})`;
  }
  if (/ended early|without finishing/.test(error.message)) return `${provider} ended its answer early`;
  return type === undefined ? `${provider} call failed` : `${provider} stream error (${type})`;
}

function httpStatus(status: number | undefined): string {
  return status === undefined ? '' : ` (HTTP ${status})`;
}
