/**
 * The Postgres journal's tables, as numbered migrations: migration N brings schema version N-1 to N, and
 * `schema_version` holds one row per migration applied. The journal only opens a database whose version is
 * exactly POSTGRES_SCHEMA_VERSION; `phasewise db migrate` brings it there (postgres-migrate.ts). Adding a
 * migration means a new entry at the end, never a change to one already released.
 *
 * The columns mirror the SQLite journal's (sqlite-schema.ts), so both turn rows into records the same way.
 * Step records still carry JOURNAL_SCHEMA_VERSION, the version of the records' shape shared by both journals.
 */
import type { JournalTables } from './postgres-pool.js';

type Migration = (tables: JournalTables) => string;

const MIGRATIONS: readonly Migration[] = [
  // 1: runs, steps with start marks and re-executions, events, run locks.
  (t) => `
CREATE TABLE ${t.runs} (
  seq           bigint GENERATED ALWAYS AS IDENTITY,
  run_id        text PRIMARY KEY,
  created_at    text NOT NULL,
  updated_at    text NOT NULL,
  ended_at      text,
  status        text NOT NULL,
  exit_code     integer,
  cost_usd      double precision NOT NULL DEFAULT 0,
  message       text,
  task          text NOT NULL,
  workspace     text NOT NULL,
  workflow_json text NOT NULL,
  workflow_hash text NOT NULL
);
CREATE INDEX ON ${t.runs} (created_at, seq);

CREATE TABLE ${t.steps} (
  seq            bigint GENERATED ALWAYS AS IDENTITY,
  run_id         text NOT NULL REFERENCES ${t.runs} (run_id),
  key            text NOT NULL,
  phase_id       text,
  kind           text NOT NULL,
  result_json    text NOT NULL,
  cost_usd       double precision NOT NULL,
  started_at     text NOT NULL,
  ended_at       text NOT NULL,
  schema_version integer NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX ON ${t.steps} (run_id, seq);

CREATE TABLE ${t.started} (
  seq        bigint GENERATED ALWAYS AS IDENTITY,
  run_id     text NOT NULL REFERENCES ${t.runs} (run_id),
  key        text NOT NULL,
  phase_id   text,
  kind       text NOT NULL,
  started_at text NOT NULL,
  pid        integer NOT NULL,
  executions integer NOT NULL,
  PRIMARY KEY (run_id, key)
);

CREATE TABLE ${t.reexecutions} (
  run_id     text NOT NULL,
  key        text NOT NULL,
  executions integer NOT NULL,
  PRIMARY KEY (run_id, key)
);

CREATE TABLE ${t.events} (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id     text NOT NULL,
  type       text NOT NULL,
  at         text NOT NULL,
  event_json text NOT NULL
);
CREATE INDEX ON ${t.events} (run_id, seq);

CREATE TABLE ${t.locks} (
  run_id text PRIMARY KEY,
  token  text NOT NULL,
  pid    integer NOT NULL,
  host   text NOT NULL,
  since  text NOT NULL
);`,
  // 2: the ledger shared by the processes spending from one run: its limit and count of changes, each phase's
  // spending and limit (NULL: none), and each reservation in flight with the process holding it.
  (t) => `
CREATE TABLE ${t.ledgerRuns} (
  run_id    text PRIMARY KEY REFERENCES ${t.runs} (run_id),
  limit_usd double precision NOT NULL,
  version   bigint NOT NULL DEFAULT 0
);

CREATE TABLE ${t.ledgerPhases} (
  run_id    text NOT NULL REFERENCES ${t.ledgerRuns} (run_id),
  phase_id  text NOT NULL,
  spent_usd double precision NOT NULL DEFAULT 0,
  limit_usd double precision,
  PRIMARY KEY (run_id, phase_id)
);

CREATE TABLE ${t.ledgerReservations} (
  id         text PRIMARY KEY,
  run_id     text NOT NULL,
  phase_id   text NOT NULL,
  usd        double precision NOT NULL,
  owner      text NOT NULL,
  pid        integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (run_id, phase_id) REFERENCES ${t.ledgerPhases} (run_id, phase_id)
);
CREATE INDEX ON ${t.ledgerReservations} (run_id, phase_id);`,
  // 3: workers and their leases; a run lock records the worker holding it, so a lease that expired frees it.
  (t) => `
CREATE TABLE ${t.workers} (
  worker_id    text PRIMARY KEY,
  host         text NOT NULL,
  pid          integer NOT NULL,
  app_version  text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  lease_ms     integer NOT NULL CHECK (lease_ms > 0),
  stopped_at   timestamptz,
  recovered_by text,
  recovered_at timestamptz
);
CREATE INDEX ON ${t.workers} (app_version, heartbeat_at) WHERE stopped_at IS NULL AND recovered_by IS NULL;

ALTER TABLE ${t.locks} ADD COLUMN worker_id text;`,
  // 4: provider rate-limit admissions (postgres-rate-limit.ts): one row per provider to lock, one per admission.
  (t) => `
CREATE TABLE ${t.rateLimitProviders} (
  provider text PRIMARY KEY
);

CREATE TABLE ${t.admissions} (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider    text NOT NULL,
  admitted_at timestamptz NOT NULL,
  tokens      bigint NOT NULL,
  holder      text NOT NULL,
  renewed_at  timestamptz NOT NULL,
  released_at timestamptz
);
CREATE INDEX ON ${t.admissions} (provider, admitted_at);
CREATE INDEX ON ${t.admissions} (holder) WHERE released_at IS NULL;`,
  // 5: queued runs (phasewise submit): the repository and commit a worker fetches, the execution number of the
  // DBOS workflow `<run-id>.<n>`, the worker executing it, and an abort asked for while it runs.
  (t) => `
ALTER TABLE ${t.runs}
  ADD COLUMN repo            text,
  ADD COLUMN ref             text,
  ADD COLUMN execution       integer NOT NULL DEFAULT 0,
  ADD COLUMN worker_id       text,
  ADD COLUMN abort_requested boolean NOT NULL DEFAULT false;`,
  // 6 (appended): the phase cache, passed phases' results by the hash of their inputs (postgres-phase-cache.ts).
  (t) => `
CREATE TABLE ${t.phaseCache} (
  key          text PRIMARY KEY,
  phase_id     text NOT NULL,
  run_id       text NOT NULL,
  outcome_json text NOT NULL,
  report       text,
  cost_usd     double precision NOT NULL,
  tokens_json  text NOT NULL,
  duration_ms  bigint NOT NULL,
  tree_before  text,
  tree_after   text,
  changes      text,
  created_at   text NOT NULL
);`,
];

/** The version this build reads and writes. */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** The SQL that brings version `version - 1` to `version` (1-based). */
export function migrationTo(version: number, tables: JournalTables): string {
  const migration = MIGRATIONS[version - 1];
  if (migration === undefined) throw new Error(`no migration to version ${version}`);
  return migration(tables);
}
