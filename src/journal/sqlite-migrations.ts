/**
 * Which journal versions this build reads, and how an older one is brought up to the current version.
 * Everything runs inside the opening write transaction: a crash mid-migration leaves the old journal intact.
 */
import { JournalError } from '../errors/index.js';
import { JOURNAL_SCHEMA_VERSION, SUPPORTED_JOURNAL_VERSIONS } from './journal.js';
import type { DatabaseSync } from './sqlite-module.js';
import { PHASE_CACHE_TABLE } from './sqlite-phase-cache.js';
import { IN_FLIGHT_TABLES, setSchemaVersion } from './sqlite-schema.js';

type Migration = (db: DatabaseSync) => void;

/**
 * One upgrade per version step, keyed by the version it starts from: `[1, v1ToV2]` turns a v1 journal into a
 * v2 one. Adding one also means a fixture of the new version and adding it to SUPPORTED_JOURNAL_VERSIONS.
 */
const MIGRATIONS: ReadonlyMap<number, Migration> = new Map<number, Migration>([
  // v2: start marks, so a step a crash cut off is recorded as re-executed when a resume runs it again. A v1
  // journal has no marks: its steps were each executed once as far as anyone can tell.
  [1, (db) => db.exec(IN_FLIGHT_TABLES)],
  // v3: the phase cache, passed phases' results by the hash of their inputs (sqlite-phase-cache.ts).
  [2, (db) => db.exec(PHASE_CACHE_TABLE)],
]);

export function migrateSchema(db: DatabaseSync, fromVersion: number, file: string): void {
  for (let version = fromVersion; version < JOURNAL_SCHEMA_VERSION; version += 1) {
    const migration = MIGRATIONS.get(version);
    if (migration === undefined) {
      throw new JournalError(file, `cannot be upgraded from journal schema version ${version}`, {
        hint: 'open it with the phasewise version that wrote it',
      });
    }
    migration(db);
  }
  setSchemaVersion(db, JOURNAL_SCHEMA_VERSION);
}

/** Refuses, before anything is written, a journal this build cannot read. */
export function assertReadableVersion(version: number, file: string): void {
  const readable = `this build reads version${SUPPORTED_JOURNAL_VERSIONS.length === 1 ? '' : 's'} ${SUPPORTED_JOURNAL_VERSIONS.join(', ')}`;
  if (version > JOURNAL_SCHEMA_VERSION) {
    throw new JournalError(
      file,
      `was written by a newer phasewise, version ${version} of the journal schema; ${readable}; nothing was changed`,
      { hint: 'upgrade phasewise to use this journal' },
    );
  }
  if (!SUPPORTED_JOURNAL_VERSIONS.includes(version)) {
    throw new JournalError(
      file,
      `has version ${version} of the journal schema, which is no longer supported; ${readable}; nothing was changed`,
      {
        hint: 'finish its runs with the older phasewise that wrote it, or move the file aside to start a new journal',
      },
    );
  }
}
