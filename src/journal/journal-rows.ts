/**
 * Between table rows and the journal's records. JSON columns hold values the journal never interprets
 * (workflows, step results, events); `undefined` has no JSON form and is stored as null.
 */
import { JournalError } from '../errors/index.js';
import type { RunEvent, RunStatus } from '../events/index.js';
import type { RunRecord, StepRecord, UnfinishedStep } from './journal.js';
import { isStepKind, STEP_KINDS, type StepKind } from './step-kinds.js';

type Value = string | number | null;

export interface RunRow {
  run_id: string;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
  status: string;
  exit_code: number | null;
  cost_usd: number;
  message: string | null;
  task: string;
  workspace: string;
  workflow_json: string;
  workflow_hash: string;
}

export interface StepRow {
  run_id: string;
  key: string;
  phase_id: string | null;
  kind: string;
  result_json: string;
  cost_usd: number;
  started_at: string;
  ended_at: string;
  schema_version: number;
  /** From step_reexecutions: null unless the step executed more than once. */
  executions: number | null;
}

export interface StartedRow {
  run_id: string;
  key: string;
  phase_id: string | null;
  kind: string;
  started_at: string;
  pid: number;
  executions: number;
}

export interface LockRow {
  token: string;
  pid: number;
  host: string;
  since: string;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    createdAt: row.created_at,
    task: row.task,
    workspace: row.workspace,
    workflow: JSON.parse(row.workflow_json),
    workflowHash: row.workflow_hash,
    status: row.status as RunStatus,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    costUsd: row.cost_usd,
    message: row.message,
  };
}

/** Named parameters for every runs column, in the shape the INSERT and UPDATE statements take. */
export function runParameters(run: RunRecord): Record<string, Value> {
  return {
    run_id: run.runId,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    ended_at: run.endedAt,
    status: run.status,
    exit_code: run.exitCode,
    cost_usd: run.costUsd,
    message: run.message,
    task: run.task,
    workspace: run.workspace,
    workflow_json: toJson(run.workflow),
    workflow_hash: run.workflowHash,
  };
}

export function toStepRecord(row: StepRow, file: string): StepRecord {
  return {
    runId: row.run_id,
    key: row.key,
    phaseId: row.phase_id,
    kind: knownKind(row, file),
    result: JSON.parse(row.result_json),
    costUsd: row.cost_usd,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    schemaVersion: row.schema_version,
    ...(row.executions !== null && row.executions > 1 ? { reexecuted: true as const } : {}),
  };
}

export function toUnfinishedStep(row: StartedRow, file: string): UnfinishedStep {
  return {
    runId: row.run_id,
    key: row.key,
    phaseId: row.phase_id,
    kind: knownKind(row, file),
    startedAt: row.started_at,
    pid: row.pid,
    executions: row.executions,
  };
}

function knownKind(row: { run_id: string; key: string; kind: string }, file: string): StepKind {
  if (isStepKind(row.kind)) return row.kind;
  throw new JournalError(
    file,
    `run ${row.run_id}, step ${row.key}: field kind is \`${row.kind}\`, not a step kind this build knows (${STEP_KINDS.join(', ')})`,
    {
      runId: row.run_id,
      hint: 'the journal was changed by hand or written by a newer phasewise; use the build that wrote it',
    },
  );
}

export function toEvent(row: { event_json: string }): RunEvent {
  return JSON.parse(row.event_json) as RunEvent;
}

export function toLockHolder(row: LockRow): LockRow {
  return { token: row.token, pid: row.pid, host: row.host, since: row.since };
}
