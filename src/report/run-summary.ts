/**
 * The run summary: every figure any view shows of a run — per phase its status, models, attempts and rounds,
 * tokens, cost against its limit, gate against its threshold, retries, stop reasons, time — computed here and
 * only here. The live display folds events into it as they arrive (`applyEvent`); afterwards
 * `summarizeJournal` folds the same events and then lays the journal's step records over them.
 *
 * Where each figure comes from, and why:
 * - status, models, attempts, rounds, gates, escalations, retries, stop reasons, phase times: the events. They
 *   are emitted once per happening, carry every field, and are journaled (replays are not), so the live fold and
 *   the journal fold see the same ones.
 * - tokens and cost: the events live, the step records afterwards. A step record is what was billed, including
 *   calls that failed after being billed (no `model-call-end` is emitted for those) and the gate's judge; so the
 *   step records are the truth, and live figures are the best known so far.
 * - a fanned-out phase's items (item-fold.ts): the same, per lane; a lane's spending counts in its phase's too.
 * - the run's status, cost and times afterwards: the run record, which a crashed run leaves right (no run-end).
 */
import { ledgerPhase } from '../budget/ledger.js';
import type { RunEvent } from '../events/index.js';
import { taskTitle as taskTitleOf } from '../util/format.js';
import { foldLaneEvent, isLaneEvent } from './item-fold.js';
import { foldPhaseEvent } from './phase-fold.js';
import { emptyRunSummary, newPhase, type RunSummary } from './summary-types.js';

export * from './summary-types.js';

export function summarizeRun(events: Iterable<RunEvent>, runId: string): RunSummary {
  const summary = emptyRunSummary(runId);
  for (const event of events) applyEvent(summary, event);
  return summary;
}

/** Folds one event into the summary (mutates it: the live display applies events as they arrive). */
export function applyEvent(summary: RunSummary, event: RunEvent): void {
  if (event.type === 'workspace-warning') {
    const { phaseId, attempt, source, paths } = event;
    summary.workspaceWarnings.push({ phaseId, attempt, source, paths });
    return;
  }
  if ('phaseId' in event) {
    // A later round of a phase (`implementation@2`, sent back by review) updates that phase's row.
    const phase = summary.phases.find((candidate) => candidate.id === ledgerPhase(event.phaseId));
    if (phase === undefined) return;
    // A fan-out's events and its lanes' are its items' (item-fold.ts); the phase's own are the phase's.
    if (isLaneEvent(event)) foldLaneEvent(summary, phase, event);
    else foldPhaseEvent(summary, phase, event);
    return;
  }
  if (event.type === 'run-start') {
    Object.assign(summary, {
      runId: event.runId,
      status: 'running',
      task: event.task,
      title: taskTitleOf(event.task),
      budgetUsd: event.budgetUsd,
      endedAt: null,
      durationMs: null,
      exitCode: null,
      message: null,
    });
    summary.startedAt ??= event.at;
    summary.phases = event.phases.map(
      (declared) =>
        summary.phases.find((candidate) => candidate.id === declared.id) ??
        newPhase(declared.id, declared.agent, declared.model, declared.costLimitUsd),
    );
  } else if (event.type === 'run-end') {
    Object.assign(summary, {
      status: event.status,
      costUsd: event.costUsd,
      endedAt: event.at,
      durationMs: event.durationMs,
      exitCode: event.exitCode,
      message: event.message,
    });
  }
}
