/**
 * Reading an error off the wire: the server's requested wait, the provider's error type and request id, the
 * network failure under an SDK error, and the key blanked out of anything we repeat.
 */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * `retry-after-ms` (OpenAI), else `retry-after` in seconds or as an HTTP date. Read strictly: a value that is
 * none of these (`-1`, `0x10`, `5 seconds`, `soon`) is no wait at all and the caller backs off as usual —
 * `Date.parse` alone would take `-1` for the year 2001 and retry at once.
 */
export function retryAfterMs(headers: Record<string, string>, now: () => number): number | undefined {
  const milliseconds = nonNegativeNumber(headers['retry-after-ms']);
  if (milliseconds !== undefined) return milliseconds;
  const value = headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  const seconds = nonNegativeNumber(value);
  if (seconds !== undefined) return seconds * 1000;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) names the month and has a four- or two-digit year.
  if (!HTTP_DATE.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

const HTTP_DATE =
  /^[A-Za-z]{3,9},?\s+(?:\d{1,2}[\s-][A-Za-z]{3}[\s-]\d{2,4}|[A-Za-z]{3}\s+\d{1,2})\s+\d{2}:\d{2}:\d{2}(?:\s+GMT|\s+\d{4})$/;

function nonNegativeNumber(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (value === undefined || !/^\d+(?:\.\d+)?(?:e\+?\d+)?$/i.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

export function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    // undici reports a body cut off by the peer as `TypeError: terminated`.
    if (current.message === 'terminated') return 'ECONNRESET';
    current = current.cause;
  }
  return undefined;
}

/** `{error: {type|code}}` (Anthropic and OpenAI bodies) or a bare `{type}` (an Anthropic stream error event). */
export function errorTypeOf(data: unknown): string | undefined {
  const record = data as { type?: unknown; error?: { type?: unknown; code?: unknown } } | undefined;
  const inner = record?.error;
  if (typeof inner?.type === 'string') return inner.type;
  if (typeof inner?.code === 'string') return inner.code;
  if (typeof record?.type === 'string' && record.type !== 'error') return record.type;
  return undefined;
}

export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function requestIdOf(data: unknown, headers: Record<string, string> | undefined): string | undefined {
  const fromBody = (data as { request_id?: unknown } | undefined)?.request_id;
  if (typeof fromBody === 'string') return fromBody;
  return headers?.['request-id'] ?? headers?.['x-request-id'];
}

export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

/** `Failed to process successful response: terminated: other side closed` — the SDK's words and the cause. */
export function withCauses(error: Error): string {
  const messages = [error.message];
  for (
    let cause = error.cause, depth = 0;
    cause instanceof Error && depth < 4;
    cause = cause.cause, depth++
  ) {
    if (!messages.some((message) => message.includes(cause.message))) messages.push(cause.message);
  }
  return messages.join(': ');
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function redact(text: string, secrets: string[]): string {
  let result = text;
  // A value this short is no credential, and blanking it would garble the message.
  for (const secret of secrets) if (secret.length >= 8) result = result.split(secret).join('***');
  return result;
}
