/**
 * A run's report, from its journal alone: per phase the models, attempts, escalations, tokens, cost against its
 * limit, gate score against its threshold with the failing checks, duration and status; totals; the timeline;
 * and what the same recorded usage would have cost on the top tier — a re-pricing, not a measured re-run.
 */
import { costOfUsage } from '../budget/cost.js';
import { ledgerPhase } from '../budget/ledger.js';
import { type Price, priceOfRef } from '../budget/price-table.js';
import type { ResolvedWorkflow } from '../config/types.js';
import type { CheckResultSummary, RunEvent, TokenCounts } from '../events/index.js';
import type { Journal, RunRecord, StepRecord } from '../journal/journal.js';
import { summarizeRun } from './run-summary.js';

export interface PhaseReport {
  id: string;
  agent: string;
  status: string;
  models: string[];
  attempts: number;
  escalations: number;
  /** Rounds the review loop sent this phase through again. */
  reworkRounds: number;
  tokens: TokenCounts;
  costUsd: number;
  costLimitUsd: number;
  topTierCostUsd: number;
  gate: { score: number; threshold: number; passed: boolean; failing: CheckResultSummary[] } | null;
  durationMs: number | null;
}

export interface TimelineEntry {
  atMs: number;
  phaseId: string;
  what: string;
}

export interface RunReport {
  runId: string;
  task: string;
  status: string;
  exitCode: number | null;
  startedAt: string;
  durationMs: number | null;
  budgetUsd: number;
  costUsd: number;
  tokens: TokenCounts;
  topTier: { tier: string; model: string; costUsd: number; savedUsd: number; savedShare: number | null };
  phases: PhaseReport[];
  timeline: TimelineEntry[];
}

const noTokens = (): TokenCounts => ({
  inputNoCache: 0,
  cacheRead: 0,
  cacheWrite: 0,
  output: 0,
  reasoning: 0,
});
/** `implementation@2` (a review-loop round) belongs to `implementation`. */
const basePhase = (id: string | null): string => ledgerPhase(id ?? '');

export function buildReport(journal: Journal, run: RunRecord): RunReport {
  const workflow = run.workflow as ResolvedWorkflow;
  const steps = journal.listSteps(run.runId);
  const events = journal.listEvents(run.runId);
  const summary = summarizeRun(events, run.runId);
  const top = topTierPrice(workflow);
  const phases = workflow.phases.map((phase) =>
    phaseReport(
      phase.id,
      phase.agent,
      phase.costLimitUsd,
      steps.filter((step) => basePhase(step.phaseId) === phase.id),
      {
        status: summary.phases.find((entry) => entry.id === phase.id)?.status ?? 'pending',
        durationMs: summary.phases.find((entry) => entry.id === phase.id)?.durationMs ?? null,
        topPrice: top.price,
      },
    ),
  );
  const costUsd = steps.reduce((sum, step) => sum + step.costUsd, 0);
  const topTierCostUsd = phases.reduce((sum, phase) => sum + phase.topTierCostUsd, 0);
  const endedAt = run.endedAt === null ? null : Date.parse(run.endedAt);
  return {
    runId: run.runId,
    task: run.task,
    status: run.status,
    exitCode: run.exitCode,
    startedAt: run.createdAt,
    durationMs: endedAt === null ? null : endedAt - Date.parse(run.createdAt),
    budgetUsd: workflow.budgetUsd,
    costUsd,
    tokens: sumTokens(phases.map((phase) => phase.tokens)),
    topTier: {
      tier: top.tier,
      model: top.model,
      costUsd: topTierCostUsd,
      savedUsd: topTierCostUsd - costUsd,
      savedShare: topTierCostUsd > 0 ? (topTierCostUsd - costUsd) / topTierCostUsd : null,
    },
    phases,
    timeline: timelineOf(events, Date.parse(run.createdAt)),
  };
}

function phaseReport(
  id: string,
  agent: string,
  costLimitUsd: number,
  steps: StepRecord[],
  extra: { status: string; durationMs: number | null; topPrice: Price | undefined },
): PhaseReport {
  const models = new Set<string>();
  const tokens = noTokens();
  let topTierCostUsd = 0;
  for (const step of steps) {
    if (step.kind === 'attempt') models.add((step.result as { model: string }).model);
    if (step.kind !== 'model') {
      // Paid steps without usage of their own (a judge on the gate, a failed call) count as they were paid.
      topTierCostUsd += step.costUsd;
      continue;
    }
    const usage = (step.result as { usage: TokenCounts & { cacheWrite1h?: number } }).usage;
    for (const key of Object.keys(tokens) as Array<keyof TokenCounts>) tokens[key] += usage[key] ?? 0;
    topTierCostUsd += extra.topPrice === undefined ? step.costUsd : costOfUsage(usage, extra.topPrice);
  }
  const gates = steps.filter((step) => step.kind === 'gate').map((step) => step.result as GateStep);
  const last = gates.at(-1);
  return {
    id,
    agent,
    status: extra.status,
    models: [...models],
    attempts: steps.filter((step) => step.kind === 'attempt').length,
    escalations: steps.filter(
      (step) => step.kind === 'decision' && (step.result as { action: string }).action === 'escalate',
    ).length,
    reworkRounds: new Set(steps.map((step) => step.phaseId).filter((phaseId) => phaseId !== id)).size,
    tokens,
    costUsd: steps.reduce((sum, step) => sum + step.costUsd, 0),
    costLimitUsd,
    topTierCostUsd,
    gate:
      last === undefined
        ? null
        : {
            score: last.score,
            threshold: last.threshold,
            passed: last.passed,
            failing: last.checks.filter((check) => !check.passed),
          },
    durationMs: extra.durationMs,
  };
}

interface GateStep {
  score: number;
  threshold: number;
  passed: boolean;
  checks: CheckResultSummary[];
}

function topTierPrice(workflow: ResolvedWorkflow): { tier: string; model: string; price: Price | undefined } {
  const tier = workflow.tiers[workflow.tiers.length - 1] ?? '';
  const model = workflow.tierModels[tier] ?? '';
  return { tier, model, price: priceOfRef(workflow.providers, model) };
}

function sumTokens(all: TokenCounts[]): TokenCounts {
  const total = noTokens();
  for (const tokens of all)
    for (const key of Object.keys(total) as Array<keyof TokenCounts>) total[key] += tokens[key];
  return total;
}

const timelineKinds = new Set<RunEvent['type']>([
  'run-start',
  'phase-start',
  'attempt-start',
  'gate-end',
  'escalation-end',
  'phase-end',
  'run-end',
]);

function timelineOf(events: RunEvent[], startedAt: number): TimelineEntry[] {
  return events
    .filter((event) => timelineKinds.has(event.type))
    .map((event) => ({
      atMs: Date.parse(event.at) - startedAt,
      phaseId: 'phaseId' in event ? event.phaseId : '',
      what: describe(event),
    }));
}

function describe(event: RunEvent): string {
  switch (event.type) {
    case 'attempt-start':
      return `attempt ${event.attempt} on ${event.tier} (${event.model})`;
    case 'gate-end':
      return `gate ${event.score.toFixed(2)} / ${event.threshold.toFixed(2)} ${event.passed ? 'passed' : event.vetoed ? 'vetoed' : 'failed'}`;
    case 'escalation-end':
      return `${event.action}: ${event.reason}`;
    case 'phase-end':
      return `${event.status} after ${event.attempts} attempt(s)`;
    case 'run-start':
      return event.resumed ? 'run resumed' : 'run started';
    case 'run-end':
      return `run ${event.status}`;
    default:
      return event.type;
  }
}
