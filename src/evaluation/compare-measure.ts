/**
 * One side of a comparison, measured from its journal: the run summary's figures (status, cost, time, per phase
 * its models, tiers, attempts, escalations, cost and time) and verification's go / no-go, read back from the
 * phase's recorded result.
 */
import { ledgerPhase } from '../budget/ledger.js';
import type { ResolvedWorkflow } from '../config/types.js';
import type { PhaseStatus, RunStatus } from '../events/index.js';
import type { Journal, RunRecord } from '../journal/journal.js';
import { recordedResult } from '../journal/step-schema.js';
import { passedOutcomeSchema } from '../phase/step-schemas.js';
import { summarizeJournal } from '../report/journal-summary.js';
import type { RunSummary } from '../report/summary-types.js';
import type { HiddenCheckResult } from './hidden-check.js';

export interface ComparedPhase {
  id: string;
  status: PhaseStatus;
  /** Every model an attempt ran on, in the order first used. */
  models: string[];
  /** Every tier an attempt ran on, in the order first used. */
  tiers: string[];
  attempts: number;
  escalations: number;
  costUsd: number;
  durationMs: number | null;
}

export interface ComparedRun {
  runId: string;
  /** The folder the run worked in. */
  workspace: string;
  status: RunStatus;
  exitCode: number | null;
  costUsd: number;
  durationMs: number | null;
  /** Verification's go / no-go, when the workflow has a verification phase that said one. */
  verdict: 'go' | 'no-go' | null;
  /** `--check`'s result in this run's folder, when it was run there. */
  check: HiddenCheckResult | null;
  phases: ComparedPhase[];
}

export async function measureRun(
  journal: Journal,
  run: RunRecord,
): Promise<{ run: ComparedRun; summary: RunSummary }> {
  const summary = await summarizeJournal(journal, run);
  const workflow = run.workflow as ResolvedWorkflow;
  const measured: ComparedRun = {
    runId: run.runId,
    workspace: run.workspace,
    status: summary.status,
    exitCode: run.exitCode,
    costUsd: run.costUsd,
    durationMs: summary.durationMs,
    verdict: await verificationVerdict(journal, run.runId, workflow),
    check: null,
    phases: summary.phases.map((phase) => ({
      id: phase.id,
      status: phase.status,
      models: phase.models,
      tiers: [...new Set(phase.attemptHistory.map((attempt) => attempt.tier))],
      attempts: phase.attempts,
      escalations: phase.escalations,
      costUsd: phase.costUsd,
      durationMs: phase.durationMs,
    })),
  };
  return { run: measured, summary };
}

/** The last go / no-go a verification phase recorded in its result (the same verdict that decides the run). */
async function verificationVerdict(
  journal: Journal,
  runId: string,
  workflow: ResolvedWorkflow,
): Promise<'go' | 'no-go' | null> {
  const verifying = new Set(
    (workflow.phases ?? [])
      .filter((phase) => workflow.agents?.[phase.agent]?.role === 'verification')
      .map((phase) => phase.id),
  );
  let verdict: 'go' | 'no-go' | null = null;
  for (const step of await journal.listSteps(runId)) {
    if (step.kind !== 'phase' || step.phaseId === null || !verifying.has(ledgerPhase(step.phaseId))) continue;
    verdict = recordedResult(journal, step, passedOutcomeSchema).verdict ?? null;
  }
  return verdict;
}
