/** The reason a wait is shown with: what the failure means to the person waiting, never the error body. */
import { describe, expect, it } from 'vitest';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';
import { retryReason } from '../../src/provider/retry-reason.js';

const failure = (
  message: string,
  details: Partial<ConstructorParameters<typeof ProviderCallError>[1]> = {},
) => new ProviderCallError(message, { provider: 'p', model: 'm', retryable: true, ...details });

describe('retryReason', () => {
  it.each([
    [failure('x', { status: 429 }), 'rate limited by anthropic (HTTP 429)'],
    [failure('x', { errorType: 'rate_limit_exceeded' }), 'rate limited by anthropic'],
    [failure('x', { status: 529 }), 'anthropic is overloaded (HTTP 529)'],
    [failure('x', { errorType: 'overloaded_error' }), 'anthropic is overloaded'],
    [failure('x', { status: 408 }), 'anthropic timed out (HTTP 408)'],
    [failure('x', { status: 503 }), 'anthropic server error (HTTP 503)'],
    [failure('x', { status: 409 }), 'anthropic answered HTTP 409'],
    [failure('x', { stalled: true }), 'anthropic went silent mid-call (stalled)'],
    [failure('anthropic model m stream ended early: no output'), 'anthropic ended its answer early'],
    [failure('x', { errorType: 'server_error' }), 'anthropic stream error (server_error)'],
    [failure('x', { connectionFailure: 'ECONNRESET' }), 'connection to anthropic failed (ECONNRESET)'],
  ])('%#: %s', (error, reason) => {
    expect(retryReason(error, 'anthropic')).toBe(reason);
  });
});
