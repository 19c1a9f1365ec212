/**
 * The run summary afterwards: the same fold over the journal's events as the live view makes, then the step
 * records laid over it for what only they hold (tokens and cost of every billed call, failed ones included), and
 * the run record for the run's own status, cost and times (a crashed run has no run-end event); a run recorded
 * as running whose process is gone is `interrupted` (`liveStatus`), in every view alike.
 */
import { ledgerPhase } from '../budget/ledger.js';
import type { ResolvedWorkflow } from '../config/types.js';
import type { Journal, RunRecord, StepRecord } from '../journal/journal.js';
import { taskTitle } from '../util/format.js';
import { billedStep } from './billed-usage.js';
import { applyCutOffCalls } from './cut-off-calls.js';
import { liveStatus } from './live-status.js';
import { attemptFor } from './phase-fold.js';
import { summarizeRun } from './run-summary.js';
import { addTokens, newPhase, noTokens, type PhaseSummary, type RunSummary } from './summary-types.js';

/** Step kinds whose result carries the usage that was billed: a model call, and one that failed after billing. */
const usageKinds = new Set(['model', 'model-failed']);

export function summarizeJournal(journal: Journal, run: RunRecord): RunSummary {
  const summary = summarizeRun(journal.listEvents(run.runId), run.runId);
  const workflow = run.workflow as ResolvedWorkflow;
  for (const declared of workflow.phases ?? []) {
    if (!summary.phases.some((phase) => phase.id === declared.id)) {
      const model = declared.model.kind === 'tier' ? (workflow.tierModels[declared.model.tier] ?? '') : '';
      summary.phases.push(newPhase(declared.id, declared.agent, model, declared.costLimitUsd));
    }
  }
  const steps = journal.listSteps(run.runId);
  applySteps(summary, steps, journal);
  const status = liveStatus(journal, run);
  // While the run is live, an unfinished step is in flight, not cut off.
  applyCutOffCalls(summary, steps, journal.listUnfinishedSteps(run.runId), status !== 'running', journal);
  const endedAt = run.endedAt === null ? null : Date.parse(run.endedAt);
  Object.assign(summary, {
    runId: run.runId,
    status,
    task: run.task,
    title: taskTitle(run.task),
    budgetUsd: workflow.budgetUsd ?? summary.budgetUsd,
    costUsd: run.costUsd,
    startedAt: run.createdAt,
    endedAt: run.endedAt,
    durationMs: endedAt === null ? null : endedAt - Date.parse(run.createdAt),
    exitCode: run.exitCode,
    message: run.message,
  });
  return summary;
}

/** Tokens and cost of each phase and attempt from the step records, replacing what the events said. */
export function applySteps(
  summary: RunSummary,
  steps: StepRecord[],
  journal: Pick<Journal, 'location'>,
): void {
  summary.tokens = noTokens();
  for (const phase of summary.phases) {
    phase.tokens = noTokens();
    phase.costUsd = 0;
    for (const attempt of phase.attemptHistory) {
      attempt.tokens = noTokens();
      attempt.costUsd = 0;
    }
  }
  for (const step of steps) {
    if (step.phaseId === null) continue;
    const phase = summary.phases.find((candidate) => candidate.id === ledgerPhase(step.phaseId!));
    if (phase === undefined) continue;
    const usage = usageKinds.has(step.kind) ? billedStep(journal, step).usage : undefined;
    const attempt = attemptOf(phase, step);
    phase.costUsd += step.costUsd;
    if (attempt !== undefined) attempt.costUsd += step.costUsd;
    if (usage === undefined) continue;
    addTokens(phase.tokens, usage);
    addTokens(summary.tokens, usage);
    if (attempt !== undefined) addTokens(attempt.tokens, usage);
  }
}

/** Keys are `<phase instance>/a<attempt>/…`: the attempt a step belongs to, when it belongs to one. */
function attemptOf(phase: PhaseSummary, step: StepRecord) {
  const prefix = `${step.phaseId}/a`;
  if (!step.key.startsWith(prefix)) return undefined;
  const attempt = Number.parseInt(step.key.slice(prefix.length), 10);
  if (!Number.isInteger(attempt)) return undefined;
  return attemptFor(phase, step.phaseId!, attempt, step.startedAt);
}
