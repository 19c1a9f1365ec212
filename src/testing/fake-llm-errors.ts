/**
 * Error responses as each API sends them: Anthropic `{"type":"error","error":{type,message},"request_id"}` with a
 * `request-id` header (anthropic-error-*.json), OpenAI `{"error":{message,type,param,code}}` pretty-printed with an
 * `x-request-id` header (openai-error-*.json). Retryable statuses carry `x-should-retry: true`, and `retry-after`
 * when the fault sets it. Anthropic documents no type for 408/409 and says other 4xx use invalid_request_error.
 */
import type { FakeApi } from './fake-llm-request.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ErrorOptions {
  requestId: string;
  model: string;
  retryAfterSeconds?: number;
  /** `retry-after` verbatim (an HTTP date, a malformed value); wins over retryAfterSeconds. */
  retryAfter?: string;
  /** `retry-after-ms` verbatim. */
  retryAfterMs?: string;
  /** Replaces the status's error type (Anthropic) or type and code (OpenAI). */
  errorType?: string;
  /** `x-should-retry` as given, instead of `true` on retryable statuses. */
  shouldRetry?: boolean;
  /** Replaces the status's usual message (missing key, unexpected request, invalid body). */
  message?: string;
}

const anthropicErrors: Record<number, [type: string, message: (model: string) => string]> = {
  400: ['invalid_request_error', () => 'prompt is too long: 205351 tokens > 200000 maximum'],
  401: ['authentication_error', () => 'invalid x-api-key'],
  402: ['billing_error', () => 'Your credit balance is too low to access the Anthropic API.'],
  403: ['permission_error', () => 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', (model) => `model: ${model}`],
  408: ['invalid_request_error', () => 'Request timed out'],
  409: ['invalid_request_error', () => 'Conflict'],
  413: ['request_too_large', () => 'Request exceeds the maximum allowed number of bytes.'],
  429: [
    'rate_limit_error',
    () => "This request would exceed your account's rate limit. Please try again later.",
  ],
  500: ['api_error', () => 'Internal server error'],
  502: ['api_error', () => 'Bad gateway'],
  503: ['api_error', () => 'Service unavailable'],
  504: ['timeout_error', () => 'Request timed out while processing'],
  529: ['overloaded_error', () => 'Overloaded'],
};

type OpenAiError = { message: string; type: string; param: string | null; code: string | null };
const openAiErrors: Record<number, (model: string) => OpenAiError> = {
  400: () => ({
    message:
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 205351 tokens. Please reduce the length of the messages.",
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  }),
  401: () => ({
    message:
      'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  }),
  402: () => ({
    message: 'Insufficient credits. Add more using https://openrouter.ai/credits',
    type: 'payment_required',
    param: null,
    code: null,
  }),
  403: (model) => ({
    message: `Project does not have access to model \`${model}\``,
    type: 'invalid_request_error',
    param: null,
    code: 'model_not_found',
  }),
  404: (model) => ({
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: 'invalid_request_error',
    param: null,
    code: 'model_not_found',
  }),
  408: () => ({ message: 'Request timed out.', type: 'invalid_request_error', param: null, code: null }),
  409: () => ({ message: 'Conflict.', type: 'invalid_request_error', param: null, code: null }),
  413: () => ({ message: 'Request too large.', type: 'invalid_request_error', param: null, code: null }),
  429: (model) => ({
    message: `Rate limit reached for ${model} in organization org-fake on tokens per min (TPM): Limit 30000, Used 30000, Requested 1000. Please try again in 2s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
    type: 'tokens',
    param: null,
    code: 'rate_limit_exceeded',
  }),
  500: () => ({
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  }),
  502: () => ({ message: 'Bad gateway.', type: 'server_error', param: null, code: null }),
  504: () => ({ message: 'Gateway timeout.', type: 'server_error', param: null, code: null }),
  503: () => ({
    message: 'The engine is currently overloaded, please try again later.',
    type: 'server_error',
    param: null,
    code: null,
  }),
};

export const missingKeyMessage: Record<FakeApi, string> = {
  anthropic: 'x-api-key header is required',
  openai:
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (i.e. YOUR_KEY as the username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
};

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function errorResponse(api: FakeApi, status: number, options: ErrorOptions): HttpAnswer {
  const headers: Record<string, string> = {};
  if (options.shouldRetry !== undefined) headers['x-should-retry'] = String(options.shouldRetry);
  else if (isRetryableStatus(status)) headers['x-should-retry'] = 'true';
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  if (options.retryAfter !== undefined) headers['retry-after'] = options.retryAfter;
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = options.retryAfterMs;
  if (api === 'anthropic') {
    const [type, message] = anthropicErrors[status] ?? anthropicErrors[500]!;
    const body = {
      type: 'error',
      error: { type: options.errorType ?? type, message: options.message ?? message(options.model) },
    };
    return {
      status,
      headers: { 'content-type': 'application/json', 'request-id': options.requestId, ...headers },
      body: JSON.stringify({ ...body, request_id: options.requestId }),
    };
  }
  const error = (openAiErrors[status] ?? openAiErrors[503]!)(options.model);
  if (options.message !== undefined) Object.assign(error, { message: options.message, code: null });
  if (options.errorType !== undefined)
    Object.assign(error, { type: options.errorType, code: options.errorType });
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': options.requestId,
      ...headers,
    },
    body: `${JSON.stringify({ error }, null, 4)}\n`,
  };
}
