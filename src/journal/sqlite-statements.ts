/** The journal's SQL, prepared once per connection. Column lists match sqlite-schema.ts. */
import type { DatabaseSync, StatementSync } from './sqlite-module.js';

const RUN_COLUMNS =
  'run_id, created_at, updated_at, ended_at, status, exit_code, cost_usd, message, task, workspace, workflow_json, workflow_hash';
const STEP_COLUMNS =
  'run_id, key, phase_id, kind, result_json, cost_usd, started_at, ended_at, schema_version';
/** A step with how many times it executed when that was more than once (null otherwise). */
const STEP_SELECT = `SELECT ${STEP_COLUMNS.split(', ')
  .map((column) => `steps.${column}`)
  .join(', ')}, step_reexecutions.executions AS executions
  FROM steps LEFT JOIN step_reexecutions USING (run_id, key)`;
const STARTED_COLUMNS = 'run_id, key, phase_id, kind, started_at, pid, executions';

export interface JournalStatements {
  insertRun: StatementSync;
  getRun: StatementSync;
  runExists: StatementSync;
  listRuns: StatementSync;
  updateRun: StatementSync;
  addRunCost: StatementSync;
  insertStep: StatementSync;
  getStep: StatementSync;
  listSteps: StatementSync;
  upsertStarted: StatementSync;
  deleteStarted: StatementSync;
  insertReexecution: StatementSync;
  listStarted: StatementSync;
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
    runExists: db.prepare('SELECT 1 AS found FROM runs WHERE run_id = ?'),
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
    getStep: db.prepare(`${STEP_SELECT} WHERE steps.run_id = ? AND steps.key = ?`),
    listSteps: db.prepare(`${STEP_SELECT} WHERE steps.run_id = ? ORDER BY steps.seq`),
    upsertStarted: db.prepare(
      `INSERT INTO steps_started (${STARTED_COLUMNS})
       VALUES (:run_id, :key, :phase_id, :kind, :started_at, :pid, 1)
       ON CONFLICT (run_id, key) DO UPDATE SET
         started_at = excluded.started_at, pid = excluded.pid, executions = steps_started.executions + 1`,
    ),
    // One statement ends a start mark and says how many times the step was executed (no row: never marked).
    deleteStarted: db.prepare('DELETE FROM steps_started WHERE run_id = ? AND key = ? RETURNING executions'),
    insertReexecution: db.prepare('INSERT INTO step_reexecutions (run_id, key, executions) VALUES (?, ?, ?)'),
    listStarted: db.prepare(
      `SELECT ${STARTED_COLUMNS} FROM steps_started WHERE run_id = ? ORDER BY started_at, rowid`,
    ),
    insertEvent: db.prepare('INSERT INTO events (run_id, type, at, event_json) VALUES (?, ?, ?, ?)'),
    listEvents: db.prepare('SELECT event_json FROM events WHERE run_id = ? ORDER BY seq'),
  };
}
