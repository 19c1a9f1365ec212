/**
 * Turns what the Postgres driver throws into JournalErrors that name the operation and the database (its URL
 * without the password) and say what to do: users see "cannot reach Postgres at HOST:PORT", never a bare
 * ECONNREFUSED or a stack. Like sqlite-errors.ts, phasewise's own errors pass through unchanged.
 */
import { JournalError, PhasewiseError } from '../errors/index.js';
import { type PostgresTarget, withoutPassword } from './postgres-location.js';

/** Node's network failures: the server is not there (or not reachable) at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const URL_HINT = 'check the database URL (--database-url, or PHASEWISE_DATABASE_URL)';

interface DriverError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** The SQLSTATE of a server error, or Node's code of a network error (an AggregateError's first one). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors } = error as DriverError;
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) return errorCode(errors[0]);
  return undefined;
}

/** Server states that end or refuse connections: shut down by an administrator, crashed, starting up. */
const SHUTTING_DOWN = new Set(['57P01', '57P02', '57P03']);

export function isUnreachable(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (UNREACHABLE.has(code) || SHUTTING_DOWN.has(code) || code.startsWith('08'))) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /timeout expired|Connection terminated|not queryable/i.test(message);
}

/** `cannot reach Postgres at HOST:PORT (why)`: never the URL, so never the password. */
export function unreachableReason(target: PostgresTarget, cause: unknown): string {
  const code = errorCode(cause);
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code !== undefined && SHUTTING_DOWN.has(code)
        ? `the server is shutting down or starting up [${code}]`
        : (code ?? describe(cause, target));
  return `cannot reach Postgres at ${target.host}:${target.port} (${why})`;
}

const UNREACHABLE_HINT = `check that the server runs and accepts connections there; ${URL_HINT}`;

/**
 * Wraps a failure while `doing` something (e.g. "record step x") in a JournalError naming the database. Server
 * errors keep their text (Postgres never quotes the password), masked again to be sure.
 */
export function toJournalError(target: PostgresTarget, doing: string, error: unknown): unknown {
  if (error instanceof PhasewiseError) return error;
  if (isUnreachable(error)) {
    return new JournalError(target.location, `could not ${doing}: ${unreachableReason(target, error)}`, {
      hint: UNREACHABLE_HINT,
    });
  }
  const code = errorCode(error);
  if (code === '28P01' || code === '28000') {
    return new JournalError(
      target.location,
      `could not ${doing}: Postgres at ${target.host}:${target.port} refused user ${target.user} (${describe(error, target)})`,
      { hint: `check the user and password; ${URL_HINT}` },
    );
  }
  if (code === '3D000') {
    return new JournalError(
      target.location,
      `could not ${doing}: the database ${target.database} does not exist`,
      {
        hint: `create it (createdb ${target.database}), then run \`phasewise db migrate\``,
      },
    );
  }
  if (error instanceof SyntaxError) {
    return new JournalError(target.location, `could not ${doing}: a record is damaged (${error.message})`, {
      hint: 'the tables were changed outside phasewise; restore them from a backup',
    });
  }
  if (code === undefined && !(error instanceof Error && 'severity' in error)) return error;
  return new JournalError(target.location, `could not ${doing}: ${describe(error, target)}`);
}

function describe(error: unknown, target: PostgresTarget): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  return withoutPassword(code === undefined ? message : `${message} [${code}]`, target);
}
