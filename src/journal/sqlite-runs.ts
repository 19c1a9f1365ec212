/** Runs in the SQLite journal: created once, read, updated as a whole inside one write transaction. */
import { JournalError } from '../errors/index.js';
import { applyRunUpdate } from './apply-run-update.js';
import type { NewRun, RunRecord, RunUpdate } from './journal.js';
import { type RunRow, runParameters, toRunRecord } from './journal-rows.js';
import type { SqliteConnection } from './sqlite-statements.js';
import { inWriteTransaction } from './sqlite-transaction.js';

export function insertRun({ file, db, statements }: SqliteConnection, run: NewRun): void {
  inWriteTransaction(db, () => {
    if (statements.getRun.get(run.runId) !== undefined) {
      throw new JournalError(file, `already holds a run with id ${run.runId}`, { runId: run.runId });
    }
    const fresh = { status: 'running', updatedAt: run.createdAt, endedAt: null, exitCode: null } as const;
    statements.insertRun.run(runParameters({ ...run, ...fresh, costUsd: 0, message: null }));
  });
}

export function readRun({ statements }: SqliteConnection, runId: string): RunRecord | undefined {
  const row = statements.getRun.get(runId);
  return row === undefined ? undefined : toRunRecord(row as unknown as RunRow);
}

export function readRuns({ statements }: SqliteConnection): RunRecord[] {
  return statements.listRuns.all().map((row) => toRunRecord(row as unknown as RunRow));
}

/** `fence` runs first inside the write transaction (the run lock still held; see `requireLockHeld`). */
export function updateRunRecord(
  connection: SqliteConnection,
  runId: string,
  update: RunUpdate,
  fence = () => {},
): void {
  inWriteTransaction(connection.db, () => {
    fence();
    const run = requireRun(connection, runId);
    connection.statements.updateRun.run(runParameters(applyRunUpdate(run, update)));
  });
}

/** The run's existence only: no row to decode (a step's write checks it, and steps are many). */
export function requireRunExists(connection: SqliteConnection, runId: string): void {
  if (connection.statements.runExists.get(runId) === undefined) {
    throw new JournalError(connection.file, `holds no run with id ${runId}`, { runId });
  }
}

export function requireRun(connection: SqliteConnection, runId: string): RunRecord {
  const run = readRun(connection, runId);
  if (run === undefined) throw new JournalError(connection.file, `holds no run with id ${runId}`, { runId });
  return run;
}
