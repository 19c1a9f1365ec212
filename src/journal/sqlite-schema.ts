/**
 * The journal's tables at the current schema version (JOURNAL_SCHEMA_VERSION). A fresh journal is created
 * straight at this version; older journals get there through sqlite-migrations.ts, and a compatibility test
 * checks that both roads end at the same schema. Changing anything here means a new version, a migration and
 * a new fixture under test/fixtures/journal/ (STYLE §7).
 *
 * `PRAGMA user_version` holds the schema version; the `meta` table says the file is a phasewise journal at all.
 */
import { JOURNAL_SCHEMA_VERSION } from './journal.js';
import type { DatabaseSync } from './sqlite-module.js';
import { PHASE_CACHE_TABLE } from './sqlite-phase-cache.js';

/** `meta.application`: tells a phasewise journal from any other SQLite file. */
export const JOURNAL_APPLICATION = 'phasewise-journal';

/**
 * Added in version 2. `steps_started`: a step that began executing and has no result yet (deleted when it is
 * recorded), so a resumed run can tell a step it executes for the first time from one a crash cut off.
 * `step_reexecutions`: the recorded steps that were executed more than once, and how many times.
 */
export const IN_FLIGHT_TABLES = `
CREATE TABLE steps_started (
  run_id     TEXT NOT NULL REFERENCES runs (run_id),
  key        TEXT NOT NULL,
  phase_id   TEXT,
  kind       TEXT NOT NULL,
  started_at TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  executions INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)
) STRICT;

CREATE TABLE step_reexecutions (
  run_id     TEXT NOT NULL,
  key        TEXT NOT NULL,
  executions INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)
) STRICT;
`;

const CURRENT_SCHEMA = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE runs (
  run_id        TEXT PRIMARY KEY,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  ended_at      TEXT,
  status        TEXT NOT NULL,
  exit_code     INTEGER,
  cost_usd      REAL NOT NULL DEFAULT 0,
  message       TEXT,
  task          TEXT NOT NULL,
  workspace     TEXT NOT NULL,
  workflow_json TEXT NOT NULL,
  workflow_hash TEXT NOT NULL
) STRICT;
CREATE INDEX runs_by_creation ON runs (created_at);

CREATE TABLE steps (
  run_id         TEXT NOT NULL REFERENCES runs (run_id),
  key            TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  phase_id       TEXT,
  kind           TEXT NOT NULL,
  result_json    TEXT NOT NULL,
  cost_usd       REAL NOT NULL,
  started_at     TEXT NOT NULL,
  ended_at       TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)
) STRICT;
CREATE UNIQUE INDEX steps_in_order ON steps (run_id, seq);

CREATE TABLE events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id     TEXT NOT NULL,
  type       TEXT NOT NULL,
  at         TEXT NOT NULL,
  event_json TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_run ON events (run_id, seq);

CREATE TABLE locks (
  run_id TEXT PRIMARY KEY,
  token  TEXT NOT NULL,
  pid    INTEGER NOT NULL,
  host   TEXT NOT NULL,
  since  TEXT NOT NULL
) STRICT;
${IN_FLIGHT_TABLES}
${PHASE_CACHE_TABLE}`;

/** Creates every table of a fresh journal. Runs inside the opening transaction, so a crash leaves no half-schema. */
export function createSchema(db: DatabaseSync, createdAt: string): void {
  db.exec(CURRENT_SCHEMA);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run(
    'application',
    JOURNAL_APPLICATION,
    'created_at',
    createdAt,
  );
  setSchemaVersion(db, JOURNAL_SCHEMA_VERSION);
}

export function setSchemaVersion(db: DatabaseSync, version: number): void {
  // PRAGMA takes no bound parameters; the version is always one of our own integer constants.
  db.exec(`PRAGMA user_version = ${Math.trunc(version)}`);
}
