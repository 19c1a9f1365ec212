/**
 * Where a Postgres journal lives: its URL read into the fields the connection pool is built from, and the same
 * URL without its password (`location`), which is all that messages and `Journal.location` ever show. A URL
 * that cannot be read is refused without echoing it, since it may hold the password.
 */
import { JournalError } from '../errors/index.js';

/** The schema a journal's tables live in, unless told otherwise (tests give each journal its own). */
export const DEFAULT_JOURNAL_SCHEMA = 'phasewise';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** The schema holding the journal's tables. */
  schema: string;
  /** `postgresql://user@host:port/database`, plus `?schema=` when not the default: never the password. */
  location: string;
}

const WHERE = 'the database URL';

export function parseDatabaseUrl(url: string, schema = DEFAULT_JOURNAL_SCHEMA): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new JournalError(WHERE, 'is not a URL (nothing of it is shown, as it may hold a password)', {
      hint: 'give it as postgresql://USER@HOST:PORT/DATABASE, with the password after USER and a colon',
    });
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new JournalError(WHERE, `starts with ${parsed.protocol}, not postgresql:`, {
      hint: 'give it as postgresql://USER@HOST:PORT/DATABASE, with the password after USER and a colon',
    });
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new JournalError(WHERE, `names the schema ${JSON.stringify(schema)}, not a lower-case SQL name`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = parsed.port === '' ? 5432 : Number(parsed.port);
  const user = decodeURIComponent(parsed.username) || 'postgres';
  const password =
    parsed.password === ''
      ? (parsed.searchParams.get('password') ?? undefined)
      : decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const location =
    `postgresql://${encodeURIComponent(user)}@${shownHost}:${port}/${encodeURIComponent(database)}` +
    (schema === DEFAULT_JOURNAL_SCHEMA ? '' : `?schema=${schema}`);
  return { host, port, user, password, database, schema, location };
}

/** `text` with every occurrence of the password masked: for messages that quote what the server or driver said. */
export function withoutPassword(text: string, target: Pick<PostgresTarget, 'password'>): string {
  const { password } = target;
  if (password === undefined || password === '') return text;
  return text.split(password).join('***').split(encodeURIComponent(password)).join('***');
}
