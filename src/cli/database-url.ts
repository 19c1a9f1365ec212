/**
 * The URL of the shared Postgres journal: `--database-url`, else the environment's PHASEWISE_DATABASE_URL. The
 * variable is the better place for it, as a password given on the command line shows in the process list.
 */
import { UsageError } from '../errors/index.js';

export const DATABASE_URL_ENV = 'PHASEWISE_DATABASE_URL';

export function databaseUrl(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  envName = DATABASE_URL_ENV,
): string {
  const url = option ?? env[envName];
  if (url === undefined || url.trim() === '') {
    throw new UsageError('no database URL: the shared journal lives in a Postgres database', {
      hint: `set ${envName} to postgresql://USER@HOST:PORT/DATABASE (the password after USER and a colon), or pass --database-url`,
    });
  }
  return url.trim();
}
