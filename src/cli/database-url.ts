/**
 * The URL of the shared Postgres journal: `--database-url`, else the environment variable the configuration
 * names (PHASEWISE_DATABASE_URL by default). The variable is the better place for it, as a password given on
 * the command line shows in the process list.
 */
import { DEFAULT_DATABASE_URL_ENV } from '../config/index.js';
import { UsageError } from '../errors/index.js';

export function databaseUrl(
  option: string | undefined,
  envName = DEFAULT_DATABASE_URL_ENV,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const url = option ?? env[envName];
  if (url === undefined || url.trim() === '') {
    throw new UsageError('no database URL: the shared journal lives in a Postgres database', {
      hint: `set ${envName} to postgresql://USER@HOST:PORT/DATABASE (the password after USER and a colon), or pass --database-url`,
    });
  }
  return url.trim();
}
