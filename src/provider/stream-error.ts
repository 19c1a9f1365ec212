/**
 * An error a provider sent inside a stream that had begun with HTTP 200, as the provider packages hand it over:
 * a record (`{message, type, code, statusCode, isRetryable, data}` where the package recognised the provider's
 * error event, or the provider's own `{message, type, code}` / `{error: {...}}` where it did not), never an
 * `Error`. Read into one shape: the message, the error's type and code, an HTTP status where the record names one
 * or its message is one of the few exact ones that mean a server failure, and whether it says to retry.
 */
export interface StreamError {
  message: string;
  type: string | undefined;
  code: string | number | undefined;
  status: number | undefined;
  /** What the record says of retrying, where it says it. */
  retryable: boolean | undefined;
  data: unknown;
}

export function streamErrorOf(error: unknown): StreamError | undefined {
  if (error instanceof Error || Object.prototype.toString.call(error) === '[object Error]') return undefined;
  const outer = asRecord(error);
  if (outer === undefined) return undefined;
  const details = asRecord(asRecord(outer.response)?.error) ?? asRecord(outer.error) ?? outer;
  if (typeof details.message !== 'string') return undefined;
  const pick = <T>(read: (value: unknown) => T | undefined, ...keys: string[]): T | undefined => {
    for (const key of keys) {
      const value = read(details[key]) ?? read(outer[key]);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const status =
    pick(httpStatus, 'statusCode', 'status_code', 'status', 'code') ??
    SERVER_FAILURE_MESSAGES.get(normal(details.message));
  return {
    message: details.message,
    type: pick(text, 'type'),
    code: pick(textOrNumber, 'code'),
    status,
    retryable: pick(flag, 'isRetryable', 'is_retryable'),
    data: 'data' in outer ? outer.data : error,
  };
}

/** Messages that say, with no status, that the server failed (as the AI SDK reads them). */
const SERVER_FAILURE_MESSAGES = new Map([
  ['overloaded', 503],
  ['overloaded error', 503],
  ['model overloaded', 503],
  ['internal server error', 500],
  ['service unavailable', 503],
]);

const normal = (message: string) => message.trim().toLowerCase();

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
const textOrNumber = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? value : undefined;

function httpStatus(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : undefined;
}
