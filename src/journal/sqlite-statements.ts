/** The journal's SQL, prepared once per connection. Column lists match sqlite-schema.ts. */
import type { DatabaseSync, StatementSync } from './sqlite-module.js';

const RUN_COLUMNS =
  'run_id, created_at, updated_at, ended_at, status, exit_code, cost_usd, message, task, workspace, workflow_json, workflow_hash';
const STEP_COLUMNS =
  'run_id, key, phase_id, kind, result_json, cost_usd, started_at, ended_at, schema_version';

export interface JournalStatements {
  insertRun: StatementSync;
  getRun: StatementSync;
  listRuns: StatementSync;
  updateRun: StatementSync;
  addRunCost: StatementSync;
  insertStep: StatementSync;
  getStep: StatementSync;
  listSteps: StatementSync;
  insertEvent: StatementSync;
  listEvents: StatementSync;
}

/** An open journal file as the run and step operations need it. */
export interface SqliteConnection {
  file: string;
  db: DatabaseSync;
  statements: JournalStatements;
}

export function prepareStatements(db: DatabaseSync): JournalStatements {
  const runValues = RUN_COLUMNS.split(', ')
    .map((column) => `:${column}`)
    .join(', ');
  return {
    insertRun: db.prepare(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (${runValues})`),
    getRun: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`),
    // rowid breaks ties between runs created in the same millisecond: the later insert is the newer run.
    listRuns: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, rowid DESC`),
    // Writes every column back: callers read the run and write it in one write transaction (applyRunUpdate).
    updateRun: db.prepare(`UPDATE runs SET (${RUN_COLUMNS}) = (${runValues}) WHERE run_id = :run_id`),
    addRunCost: db.prepare('UPDATE runs SET cost_usd = cost_usd + ? WHERE run_id = ?'),
    insertStep: db.prepare(
      `INSERT INTO steps (${STEP_COLUMNS}, seq)
       VALUES (:run_id, :key, :phase_id, :kind, :result_json, :cost_usd, :started_at, :ended_at, :schema_version,
               (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps WHERE run_id = :run_id))`,
    ),
    getStep: db.prepare(`SELECT ${STEP_COLUMNS} FROM steps WHERE run_id = ? AND key = ?`),
    listSteps: db.prepare(`SELECT ${STEP_COLUMNS} FROM steps WHERE run_id = ? ORDER BY seq`),
    insertEvent: db.prepare('INSERT INTO events (run_id, type, at, event_json) VALUES (?, ?, ?, ?)'),
    listEvents: db.prepare('SELECT event_json FROM events WHERE run_id = ? ORDER BY seq'),
  };
}
