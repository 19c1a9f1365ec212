/**
 * The run summary afterwards: the same fold over the journal's events as the live view makes, then the step
 * records laid over it for what only they hold (tokens and cost of every billed call, failed ones included), and
 * the run record for the run's own status, cost and times (a crashed run has no run-end event); a run recorded
 * as running whose process is gone is `interrupted` (`liveStatus`), in every view alike.
 */
import { ledgerPhase } from '../budget/ledger.js';
import type { ResolvedWorkflow } from '../config/types.js';
import type { TokenCounts } from '../events/index.js';
import type { Journal, RunRecord, StepRecord } from '../journal/journal.js';
import { parseStepKey } from '../journal/step-keys.js';
import { taskTitle } from '../util/format.js';
import { billedStep } from './billed-usage.js';
import { applyCutOffCalls } from './cut-off-calls.js';
import { itemAttempt, itemFor } from './item-entries.js';
import { liveStatus } from './live-status.js';
import { attemptFor } from './phase-fold.js';
import { summarizeRun } from './run-summary.js';
import { addTokens, newPhase, noTokens, type PhaseSummary, type RunSummary } from './summary-types.js';

/** Step kinds whose result carries the usage that was billed: a model call, and one that failed after billing. */
const usageKinds = new Set(['model', 'model-failed']);

export async function summarizeJournal(journal: Journal, run: RunRecord): Promise<RunSummary> {
  const summary = summarizeRun(await journal.listEvents(run.runId), run.runId);
  const workflow = run.workflow as ResolvedWorkflow;
  for (const declared of workflow.phases ?? []) {
    if (!summary.phases.some((phase) => phase.id === declared.id)) {
      const model = declared.model.kind === 'tier' ? (workflow.tierModels[declared.model.tier] ?? '') : '';
      summary.phases.push(newPhase(declared.id, declared.agent, model, declared.costLimitUsd));
    }
  }
  const steps = await journal.listSteps(run.runId);
  applySteps(summary, steps, journal);
  const status = await liveStatus(journal, run);
  // While the run is live, an unfinished step is in flight, not cut off.
  const unfinished = await journal.listUnfinishedSteps(run.runId);
  applyCutOffCalls(summary, steps, unfinished, status !== 'running', journal);
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

/**
 * Tokens and cost of each phase and attempt from the step records, replacing what the events said. A fanned-out
 * phase's lane steps (`implementation/item-auth/a1/t1/model`, `implementation/merge-2/…`) count as the phase's and
 * as their item's: an item lane's as its agent's spending, the n-th merge lane's as the merge turn of the item
 * whose merge has index n (on the phase alone while no merge-end names it yet).
 */
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
    for (const item of phase.items ?? []) {
      // A merge turn cut off before its merge-end: no merge names its lane's steps, so its events' figure stays.
      const mergeTurnCostUsd = item.merge === null ? item.mergeTurnCostUsd : 0;
      Object.assign(item, { tokens: noTokens(), costUsd: 0, mergeTurnCostUsd });
      for (const attempt of item.attemptHistory) {
        attempt.tokens = noTokens();
        attempt.costUsd = 0;
      }
    }
  }
  for (const step of steps) {
    if (step.phaseId === null) continue;
    const phase = summary.phases.find((candidate) => candidate.id === ledgerPhase(step.phaseId!));
    if (phase === undefined) continue;
    const usage = usageKinds.has(step.kind) ? billedStep(journal, step).usage : undefined;
    phase.costUsd += step.costUsd;
    for (const account of accountsOf(phase, step)) account(step.costUsd, usage);
    if (usage === undefined) continue;
    addTokens(phase.tokens, usage);
    addTokens(summary.tokens, usage);
  }
}

/** Where a step's spending is counted besides its phase. */
type Account = (costUsd: number, usage: TokenCounts | undefined) => void;

const figuresOf =
  (figures: { costUsd: number; tokens: TokenCounts }): Account =>
  (costUsd, usage) => {
    figures.costUsd += costUsd;
    if (usage !== undefined) addTokens(figures.tokens, usage);
  };

/** Besides the phase, what a step's spending counts for: its attempt, or its item (and the item's attempt). */
function accountsOf(phase: PhaseSummary, step: StepRecord): Account[] {
  const parsed = parseStepKey(step.key);
  const lane = parsed?.lane;
  if (parsed === undefined || lane === undefined) {
    const attempt = attemptOf(phase, step);
    return attempt === undefined ? [] : [figuresOf(attempt)];
  }
  if (lane.kind === 'merge') {
    const merged = phase.items?.find(
      (item) => item.instanceId === step.phaseId && item.merge?.index === lane.index,
    );
    return merged === undefined ? [] : [(costUsd) => (merged.mergeTurnCostUsd += costUsd)];
  }
  const item = itemFor(phase, step.phaseId!, lane.id);
  if (!('attempt' in parsed)) return [figuresOf(item)];
  return [figuresOf(item), figuresOf(itemAttempt(item, parsed.attempt, step.startedAt))];
}

/** Keys are `<phase instance>/a<attempt>/…`: the attempt a step belongs to, when it belongs to one. */
function attemptOf(phase: PhaseSummary, step: StepRecord) {
  const prefix = `${step.phaseId}/a`;
  if (!step.key.startsWith(prefix)) return undefined;
  const attempt = Number.parseInt(step.key.slice(prefix.length), 10);
  if (!Number.isInteger(attempt)) return undefined;
  return attemptFor(phase, step.phaseId!, attempt, step.startedAt);
}
