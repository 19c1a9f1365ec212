/**
 * A run's report, from its journal alone: the run summary (every figure per phase, attempt and in total, computed
 * in one place — see run-summary.ts), the timeline, what the same recorded usage would have cost on the top
 * tier — a re-pricing, not a measured re-run — and the share of the input read from the prompt cache, per phase
 * and in all.
 */
import { costOfUsage } from '../budget/cost.js';
import { ledgerPhase } from '../budget/ledger.js';
import { type Price, priceOfRef } from '../budget/price-table.js';
import type { ResolvedWorkflow } from '../config/types.js';
import type { RunEvent, TokenCounts } from '../events/index.js';
import type { Journal, RunRecord, StepRecord } from '../journal/journal.js';
import { duration } from '../util/format.js';
import { runBranchName } from '../util/run-branch.js';
import { billedStep } from './billed-usage.js';
import { fanOutEventText } from './fan-out-text.js';
import { summarizeJournal } from './journal-summary.js';
import { roundOf } from './phase-fold.js';
import { phaseEndText } from './summary-text.js';
import type { PhaseSummary, RunSummary } from './summary-types.js';

export interface PhaseReport extends PhaseSummary {
  topTierCostUsd: number;
  /** Of the phase's input tokens, the share billed at cache-read price; null when it sent none. */
  cacheReadShare: number | null;
}

export interface TimelineEntry {
  atMs: number;
  phaseId: string;
  /** Set on a work item's lane of a fanned-out phase (its merge turn's included). */
  item?: string;
  what: string;
}

export interface RunReport extends RunSummary {
  /** Of the run's input tokens, the share billed at cache-read price; null when it sent none. */
  cacheReadShare: number | null;
  topTier: { tier: string; model: string; costUsd: number; savedUsd: number; savedShare: number | null };
  phases: PhaseReport[];
  timeline: TimelineEntry[];
  /** An isolated run's branch (`run --worktree`), where its work is committed; absent for other runs. */
  branch?: string;
}

export async function buildReport(journal: Journal, run: RunRecord): Promise<RunReport> {
  const summary = await summarizeJournal(journal, run);
  const steps = await journal.listSteps(run.runId);
  const top = topTierPrice(run.workflow as ResolvedWorkflow);
  const phases = summary.phases.map((phase) => ({
    ...phase,
    cacheReadShare: cacheReadShare(phase.tokens),
    topTierCostUsd: topTierCost(
      steps.filter((step) => ledgerPhase(step.phaseId ?? '') === phase.id),
      top.price,
      journal,
    ),
  }));
  const topTierCostUsd = phases.reduce((sum, phase) => sum + phase.topTierCostUsd, 0);
  return {
    ...summary,
    cacheReadShare: cacheReadShare(summary.tokens),
    topTier: {
      tier: top.tier,
      model: top.model,
      costUsd: topTierCostUsd,
      savedUsd: topTierCostUsd - summary.costUsd,
      savedShare: topTierCostUsd > 0 ? (topTierCostUsd - summary.costUsd) / topTierCostUsd : null,
    },
    phases,
    timeline: timelineOf(await journal.listEvents(run.runId), Date.parse(run.createdAt), summary),
    ...((run.workflow as ResolvedWorkflow).isolation === 'worktree'
      ? { branch: runBranchName(run.runId) }
      : {}),
  };
}

function topTierCost(
  steps: StepRecord[],
  topPrice: Price | undefined,
  journal: Pick<Journal, 'location'>,
): number {
  let cost = 0;
  for (const step of steps) {
    const result = billedStep(journal, step);
    const usage = result.usage;
    // Paid steps without usage of their own (a judge on the gate, a Claude Code session's cache-lifetime premium)
    // count as they were paid.
    if ((step.kind !== 'model' && step.kind !== 'model-failed') || usage === undefined || !hasTokens(usage))
      cost += step.costUsd;
    else if (topPrice === undefined) cost += step.costUsd;
    // A Claude Code session's settlement is the total of several requests: re-priced at base rates, as charged.
    else cost += costOfUsage(usage, topPrice, result.responseId === 'result' ? 'aggregate' : 'request');
  }
  return cost;
}

/** Cache reads over all input: uncached, written to the cache, and read from it. */
export function cacheReadShare(tokens: TokenCounts): number | null {
  const input = tokens.inputNoCache + tokens.cacheRead + tokens.cacheWrite;
  return input > 0 ? tokens.cacheRead / input : null;
}

function hasTokens(usage: TokenCounts): boolean {
  return usage.inputNoCache + usage.cacheRead + usage.cacheWrite + usage.output > 0;
}

function topTierPrice(workflow: ResolvedWorkflow): { tier: string; model: string; price: Price | undefined } {
  const tier = workflow.tiers[workflow.tiers.length - 1] ?? '';
  const model = workflow.tierModels[tier] ?? '';
  return { tier, model, price: priceOfRef(workflow.providers, model) };
}

const timelineKinds = new Set<RunEvent['type']>([
  'run-start',
  'phase-start',
  'attempt-start',
  'model-call-retry',
  'attempt-end',
  'gate-end',
  'escalation-end',
  'phase-end',
  'fan-out-start',
  'fan-out-skipped',
  'item-start',
  'item-end',
  'merge-end',
  'fan-out-end',
  'run-end',
]);

function timelineOf(events: RunEvent[], startedAt: number, summary: RunSummary): TimelineEntry[] {
  return events
    .filter((event) => timelineKinds.has(event.type))
    .flatMap((event) => {
      const what = describe(event, summary);
      return what === undefined
        ? []
        : [
            {
              atMs: Date.parse(event.at) - startedAt,
              phaseId: 'phaseId' in event ? event.phaseId : '',
              ...(event.item === undefined ? {} : { item: event.item }),
              what,
            },
          ];
    });
}

function describe(event: RunEvent, summary: RunSummary): string | undefined {
  switch (event.type) {
    case 'attempt-start':
      return `${event.mergeTurn === true ? 'merge turn ' : ''}attempt ${event.attempt} on ${event.tier} (${event.model})`;
    case 'model-call-retry':
      return `waited ${duration(event.waitMs)}: ${event.reason}, try ${event.try + 1} of ${event.maxTries}`;
    case 'attempt-end':
      return event.stopReason === 'answered'
        ? undefined
        : `attempt ${event.attempt} stopped (${event.stopReason})${event.detail === null ? '' : `: ${event.detail}`}`;
    case 'gate-end':
      return `gate ${event.score.toFixed(2)} / ${event.threshold.toFixed(2)} ${event.passed ? 'passed' : event.vetoed ? 'vetoed' : 'failed'}`;
    case 'escalation-end':
      return `${event.action}: ${event.reason}`;
    case 'phase-start':
      return roundOf(event.phaseId) > 1 ? `round ${roundOf(event.phaseId)} started` : 'started';
    case 'phase-end': {
      // The entry's phase id already names the instance (`review@2`): the text after the name is enough.
      const total = summary.phases.find((phase) => phase.id === ledgerPhase(event.phaseId))?.attempts;
      const text = phaseEndText(event, roundOf(event.phaseId) > 1 ? total : undefined);
      return text.slice(text.indexOf(': ') + 2);
    }
    case 'fan-out-start':
    case 'fan-out-skipped':
    case 'item-start':
    case 'item-end':
    case 'merge-end':
    case 'fan-out-end': {
      // The entry names its phase (and item): the text after the lane's name is enough.
      const text = fanOutEventText(event) ?? event.type;
      return text.slice(text.indexOf(': ') + 2);
    }
    case 'run-start':
      return event.resumed ? 'run resumed' : 'run started';
    case 'run-end':
      return `run ${event.status}`;
    default:
      return event.type;
  }
}
