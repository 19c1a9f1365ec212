/**
 * The commands of the shared Postgres database (issue on workers): `db migrate` brings its tables to this
 * version of phasewise. Kept apart from the command table so the database's commands read together.
 */

import { commandModule } from './command-module.js';
import type { CommandSpec } from './command-spec.js';
import { shared } from './shared-options.js';

export const dbMigrate: CommandSpec = {
  name: 'db migrate',
  description:
    "bring the shared Postgres journal's tables to this version of phasewise (creating them the first time); safe to run twice or from several machines at once",
  options: [
    shared(
      'databaseUrl',
      'the Postgres database, postgresql://USER@HOST:PORT/DB with the password after USER and a colon (default: $PHASEWISE_DATABASE_URL, which keeps the password out of the process list)',
    ),
  ],
  examples: [
    'phasewise db migrate    # the database in $PHASEWISE_DATABASE_URL',
    'phasewise db migrate --database-url postgresql://phasewise@127.0.0.1:5432/phasewise',
  ],
  run: async (_args, options) => (await commandModule(import('./commands/db.js'))).dbMigrateCommand(options),
};
