/**
 * Which journal a command opens: the shared Postgres one when `--database-url` is given or the configuration
 * says `journal: { kind: postgres }` (its URL from the variable `url_env` names), else the workspace's SQLite
 * file as always. Reading commands open Postgres just as they find it: it is never migrated by a read.
 */

import type { JournalSettings } from '../config/index.js';
import { findConfigFile, loadWorkflow } from '../config/index.js';
import { type Journal, openJournal, openPostgresJournal } from '../journal/index.js';
import { databaseUrl } from './database-url.js';
import {
  locateWorkspace,
  openExistingJournal,
  refuseOrphanedWal,
  type WorkspaceOptions,
} from './workspace.js';

export interface JournalOptions {
  /** `--database-url`: the shared journal, whatever the configuration says. */
  databaseUrl?: string;
}

/**
 * `create`: a run starting (a SQLite journal is created when missing); `write`: an existing journal to change;
 * `read`: one only read (a SQLite journal left exactly as found).
 */
export type JournalAccess = 'create' | 'write' | 'read';

export async function openJournalFor(
  workspace: string,
  settings: JournalSettings | undefined,
  options: JournalOptions,
  access: JournalAccess,
): Promise<Journal> {
  const url = sharedDatabaseUrl(settings, options);
  if (url !== undefined) return openPostgresJournal({ url });
  if (access === 'create') {
    refuseOrphanedWal(workspace);
    return openJournal({ workspace });
  }
  return openExistingJournal(workspace, access);
}

/** The shared Postgres journal's URL when the command uses it; undefined for the workspace's SQLite journal. */
export function sharedDatabaseUrl(
  settings: JournalSettings | undefined,
  options: JournalOptions,
): string | undefined {
  if (options.databaseUrl !== undefined) return databaseUrl(options.databaseUrl);
  return settings?.kind === 'postgres' ? databaseUrl(undefined, settings.urlEnv) : undefined;
}

/**
 * The workspace a command looks at, and the journal its configuration names: the configuration `-c` gives, or
 * the one found here when no `--workspace` says otherwise (as `locateWorkspace` reads it).
 */
export function locateJournal(
  options: WorkspaceOptions & JournalOptions,
  cwd = process.cwd(),
): { workspace: string; settings: JournalSettings | undefined } {
  const workspace = locateWorkspace(options, cwd);
  if (options.databaseUrl !== undefined) return { workspace, settings: undefined };
  const configured =
    options.config !== undefined || (options.workspace === undefined && findConfigFile(cwd) !== undefined);
  if (!configured) return { workspace, settings: undefined };
  const { journal } = loadWorkflow({
    cwd,
    ...(options.config === undefined ? {} : { configFile: options.config }),
  });
  return { workspace, settings: journal };
}
