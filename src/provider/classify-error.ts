/**
 * What went wrong with a call, in terms the retry layer and the caller can act on. One policy for every
 * provider: 408, 409, 429, 5xx (529 included), a dropped or refused connection and a stall are worth another
 * attempt (as the Anthropic and OpenAI SDKs decide, `x-should-retry` included); any other 4xx is not, nor a 429
 * that reports an empty account rather than a rate limit; and nothing is retried once content has streamed (the caller would pay for
 * the same output twice), except a stall, which is a dead connection rather than an answer.
 */
import { APICallError, InvalidResponseDataError } from '@ai-sdk/provider';
import {
  type ConnectionFailure,
  connectionFailure,
  fetchRefusal,
  withoutUserinfo,
} from './connection-failure.js';
import {
  errorTypeOf,
  lowerCaseKeys,
  messageOf,
  networkCode,
  parseJson,
  redact,
  requestIdOf,
  retryAfterMs,
  withCauses,
} from './error-details.js';
import type { ModelUsage } from './model.js';
import { ProviderCallError } from './provider-call-error.js';
import { streamErrorOf } from './stream-error.js';

export interface FailureContext {
  provider: string;
  model: string;
  afterContent: boolean;
  usage?: ModelUsage;
  /** Values to blank out of anything we report (the API key). */
  secrets: string[];
  /** The URL the call tried (no credentials, no query): a failure to connect names it. */
  url?: string | undefined;
  now?: () => number;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Error types that say "the server failed, try again" when an in-stream error carries no status (OpenAI's
 * `{"error": {"type": "server_error"}}` chunk; the SDK only infers a status from a few exact messages).
 */
const RETRYABLE_TYPES = new Set([
  'server_error',
  'api_error',
  'overloaded_error',
  'rate_limit_error',
  'rate_limit_exceeded',
  'timeout_error',
  'service_unavailable',
]);

/**
 * A 429 that is no rate limit but an empty account (OpenAI `insufficient_quota`, Anthropic `billing_error`):
 * another attempt fails the same way until someone pays, so it is not retried.
 */
const ACCOUNT_TYPES = new Set(['insufficient_quota', 'billing_error']);

export function classifyError(error: unknown, context: FailureContext): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (APICallError.isInstance(error)) return fromApiCallError(error, context);
  const streamed = streamErrorOf(error);
  if (streamed !== undefined) {
    const { status, type, code } = streamed;
    return failure(context, {
      message: streamed.message,
      where: `stream error${type === undefined ? '' : ` ${type}`} after HTTP 200`,
      status,
      retryable:
        status === undefined
          ? streamed.retryable === true || RETRYABLE_TYPES.has(String(type ?? code))
          : isRetryableStatus(status),
      errorType: type ?? (code === undefined ? undefined : String(code)),
      requestId: requestIdOf(streamed.data, undefined),
    });
  }
  // Only what fetch refused outright: a code under a stream that failed mid-body is no failure to connect.
  const refused = fetchRefusal(error, { provider: context.provider, url: context.url });
  if (refused !== undefined) return notConnected(refused, context);
  if (isTruncation(error)) {
    // The body ended cleanly but early (no finish event): a dropped answer, worth another try before content.
    return failure(context, { message: messageOf(error), where: 'stream ended early', retryable: true });
  }
  const code = networkCode(error);
  if (code !== undefined) {
    return failure(context, {
      message: messageOf(error),
      where: `connection failed (${code})${atUrl(context)}`,
      retryable: true,
      connectionFailure: code,
    });
  }
  return failure(context, { message: messageOf(error), where: 'failed', retryable: false });
}

function isTruncation(error: unknown): boolean {
  return InvalidResponseDataError.isInstance(error) && /ended without/.test(error.message);
}

function fromApiCallError(error: APICallError, context: FailureContext): ProviderCallError {
  const status = error.statusCode;
  if (status === undefined) {
    // "Cannot connect to API: bad port": the API was never reached; say where we tried and what the cause means.
    const unreachable = connectionFailure(error.cause, { provider: context.provider, url: context.url });
    if (unreachable !== undefined) return notConnected(unreachable, context);
  }
  const code = networkCode(error.cause);
  if (code !== undefined && (status === undefined || status < 300)) {
    // Dropped before an answer, or while the (successful) body was being read: the connection failed, not the API.
    const where =
      status === undefined
        ? `connection failed (${code})${atUrl(context)}`
        : `connection dropped (${code}) mid-response`;
    return failure(context, {
      message: withCauses(error),
      where,
      retryable: true,
      ...(status === undefined ? { connectionFailure: code } : {}),
    });
  }
  if (status !== undefined && status >= 200 && status < 300) {
    // A success whose body could not be read (cut short, a proxy's page): the answer is lost, as with a stream
    // that ended early; nothing reached us, so another attempt is worth it.
    return failure(context, {
      message: withCauses(error),
      where: `HTTP ${status} unreadable`,
      status,
      retryable: true,
    });
  }
  const headers = lowerCaseKeys(error.responseHeaders ?? {});
  // The body as sent, not the SDK's parse of it (which drops fields such as Anthropic's `request_id`).
  const data = parseJson(error.responseBody) ?? error.data;
  const errorType = errorTypeOf(data);
  // The server's own word first, as both vendors' SDKs take it (`x-should-retry`), then the status; an empty
  // account is never worth another attempt.
  const shouldRetry = headers['x-should-retry'];
  const retryable =
    !ACCOUNT_TYPES.has(errorType ?? '') &&
    (shouldRetry === 'true' ||
      (shouldRetry !== 'false' && status !== undefined && isRetryableStatus(status)));
  return failure(context, {
    message: error.message,
    where: `HTTP ${status ?? '(no status)'}${errorType === undefined ? '' : ` ${errorType}`}`,
    status,
    retryable,
    retryAfterMs: retryAfterMs(headers, context.now ?? Date.now),
    errorType,
    requestId: requestIdOf(data, headers),
  });
}

function notConnected(unreachable: ConnectionFailure, context: FailureContext): ProviderCallError {
  return failure(context, {
    message: `${unreachable.meaning}; ${unreachable.hint}`,
    where: `could not connect to ${context.url ?? 'its API'} (${unreachable.code})`,
    retryable: unreachable.retryable,
    connectionFailure: unreachable.code,
    hint: unreachable.hint,
  });
}

function atUrl(context: FailureContext): string {
  return context.url === undefined ? '' : ` to ${context.url}`;
}

function failure(
  context: FailureContext,
  detail: {
    message: string;
    where: string;
    status?: number | undefined;
    retryable: boolean;
    retryAfterMs?: number | undefined;
    errorType?: string | undefined;
    requestId?: string | undefined;
    connectionFailure?: string | undefined;
    hint?: string | undefined;
  },
): ProviderCallError {
  const after = context.afterContent ? ' after content had streamed' : '';
  // fetch repeats the URL it refused, credentials and all: none of it is shown.
  const message = withoutUserinfo(
    redact(
      `${context.provider} model ${context.model} ${detail.where}${after}: ${detail.message}`,
      context.secrets,
    ),
  );
  const hint = detail.hint === undefined ? {} : { hint: redact(detail.hint, context.secrets) };
  return new ProviderCallError(
    message,
    {
      provider: context.provider,
      model: context.model,
      ...(detail.status === undefined ? {} : { status: detail.status }),
      retryable: detail.retryable && !context.afterContent,
      ...(detail.retryAfterMs === undefined ? {} : { retryAfterMs: detail.retryAfterMs }),
      ...(detail.errorType === undefined ? {} : { errorType: detail.errorType }),
      ...(detail.requestId === undefined ? {} : { requestId: detail.requestId }),
      afterContent: context.afterContent,
      ...(detail.connectionFailure === undefined ? {} : { connectionFailure: detail.connectionFailure }),
      ...(context.usage === undefined ? {} : { usage: context.usage }),
    },
    hint,
  );
}
