/**
 * An eval, wired: its runs one after another (each skipped when its record is on disk, resumed when its worktree
 * holds an interrupted run), a progress line per run, and once every run is recorded the outputs.
 */
import type { EvalTask } from '../config/types.js';
import { duration, usd } from '../util/format.js';
import { evalPlan } from './eval-plan.js';
import type { Policy } from './policies.js';
import { type EvalServices, runOne } from './run-one.js';
import { type RunRecord, readRunRecords, writeRunRecord } from './run-record.js';
import { ensureWorktree, localRepository } from './worktrees.js';

export interface RunEvalOptions {
  dir: string;
  tasks: readonly EvalTask[];
  policies: readonly Policy[];
  repeat: number;
  services: EvalServices;
  /** One line per run as it starts, resumes, ends or is found done already. */
  onProgress: (line: string) => void;
}

export interface EvalRuns {
  records: RunRecord[];
  /** The eval was stopped before every run was recorded; run it again to go on. */
  interrupted: boolean;
  /** Runs recorded by an earlier, interrupted eval and not made again. */
  skipped: number;
}

export async function runEval(options: RunEvalOptions): Promise<EvalRuns> {
  const { dir, services, onProgress } = options;
  const plan = evalPlan(dir, options.tasks, options.policies, options.repeat);
  const recorded = readRunRecords(dir);
  const records: RunRecord[] = [];
  const repositories = new Map<string, string>();
  let skipped = 0;
  for (const [index, spec] of plan.entries()) {
    const label = `[${index + 1}/${plan.length}] ${spec.task.id} · ${spec.policy.name} · repeat ${spec.repeat}`;
    const done = recorded.get(spec.key);
    if (done !== undefined) {
      records.push(done);
      skipped += 1;
      onProgress(`${label}: ${outcomeText(done)} (recorded earlier, not run again)`);
      continue;
    }
    if (services.abortSignal.aborted) return { records, interrupted: true, skipped };
    const repository = repositories.get(spec.task.repository) ?? localRepository(spec.task, dir);
    repositories.set(spec.task.repository, repository);
    ensureWorktree(spec.task, repository, spec.worktree);
    onProgress(`${label}: running in ${spec.worktree}`);
    const record = await runOne(spec, services, (runId) => onProgress(`${label}: resuming run ${runId}`));
    if (record === 'interrupted') {
      onProgress(`${label}: interrupted`);
      return { records, interrupted: true, skipped };
    }
    writeRunRecord(dir, record);
    records.push(record);
    onProgress(`${label}: ${outcomeText(record)}`);
  }
  return { records, interrupted: false, skipped };
}

function outcomeText(record: RunRecord): string {
  return `${record.solved ? 'solved' : 'not solved'} (run ${record.status}, ${usd(record.costUsd)}, ${duration(record.durationMs)})`;
}
