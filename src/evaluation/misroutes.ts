/**
 * Misroutes of `model: auto` in a run: each phase instance that started from a journaled complexity assessment,
 * classified by the phase layer's own `isMisroute` against how it went — `under` (it had to escalate, or passed
 * above its starting tier), `over` (a cheaper tier passed it: known only when another run, the comparison's
 * re-run, ran that phase on a cheaper tier and passed), `right` (it passed on its starting tier and the rung
 * below is known not to: the cheapest tier, or a re-run one rung lower that did not pass), else `unknown`.
 */
import { z } from 'zod';
import { ledgerPhase } from '../budget/ledger.js';
import type { StepRecord } from '../journal/journal.js';
import { type ComplexityAssessment, isMisroute } from '../phase/complexity.js';
import type { PhaseSummary, RunSummary } from '../report/summary-types.js';

export type MisrouteVerdict = 'under' | 'over' | 'right' | 'unknown';

export interface PhaseMisroute {
  /** The phase instance (`implementation`, or `implementation@2` in a review-loop round). */
  phaseId: string;
  chosenTier: string;
  score: number;
  verdict: MisrouteVerdict;
  reason: string;
}

export interface MisrouteCount {
  /** Phase instances whose tier `model: auto` chose. */
  autoPhases: number;
  under: number;
  over: number;
  right: number;
  unknown: number;
  phases: PhaseMisroute[];
}

/** What is read back of a journaled assessment (`phase/auto-model.ts`): only what the classification needs. */
const assessmentSchema = z.object({
  score: z.number(),
  tierIndex: z.number().int(),
  tier: z.string(),
  version: z.string(),
});

interface Instance {
  /** Tier indexes of its attempts, in order (-1 for a model outside the ladder). */
  tiers: number[];
  passed: boolean;
}

export function countMisroutes(
  steps: readonly StepRecord[],
  original: RunSummary,
  tiers: readonly string[],
  rerun: RunSummary | null,
): MisrouteCount {
  const phases: PhaseMisroute[] = [];
  for (const step of steps) {
    if (step.kind !== 'model-choice' || step.phaseId === null) continue;
    const parsed = assessmentSchema.safeParse(step.result);
    if (!parsed.success) continue;
    const chosen = parsed.data;
    const instance = instanceOf(original, step.phaseId, tiers);
    const evidence = rerun === null ? undefined : instanceOf(rerun, step.phaseId, tiers);
    // The signals say why it chose; the classification needs only the choice.
    const assessment: ComplexityAssessment = { ...chosen, signals: [] };
    const { verdict, reason } = classify(assessment, instance, evidence, tiers);
    phases.push({ phaseId: step.phaseId, chosenTier: chosen.tier, score: chosen.score, verdict, reason });
  }
  const count = (verdict: MisrouteVerdict) => phases.filter((phase) => phase.verdict === verdict).length;
  return {
    autoPhases: phases.length,
    under: count('under'),
    over: count('over'),
    right: count('right'),
    unknown: count('unknown'),
    phases,
  };
}

function classify(
  assessment: ComplexityAssessment,
  instance: Instance | undefined,
  evidence: Instance | undefined,
  tiers: readonly string[],
): { verdict: MisrouteVerdict; reason: string } {
  const chosen = assessment.tierIndex;
  const name = (index: number) => tiers[index] ?? 'a model outside the tiers';
  if (instance === undefined || instance.tiers.length === 0)
    return { verdict: 'unknown', reason: 'no attempt was recorded' };
  const last = instance.tiers.at(-1)!;
  const escalated = instance.tiers.some((tier) => tier > chosen);
  const passedTierIndex = instance.passed ? last : null;
  const own = isMisroute(assessment, { escalated, passedTierIndex });
  if (own === 'under')
    return {
      verdict: 'under',
      reason: `started on ${name(chosen)}, ${instance.passed ? `passed on ${name(last)}` : `escalated to ${name(Math.max(...instance.tiers))} and did not pass`}`,
    };
  if (own === 'over')
    return { verdict: 'over', reason: `started on ${name(chosen)}, passed on ${name(last)}` };
  if (passedTierIndex === null)
    return { verdict: 'unknown', reason: 'never passed on its tier: that says nothing about routing' };
  if (chosen === 0) return { verdict: 'right', reason: `passed on the cheapest tier, ${name(chosen)}` };
  const below = evidence?.tiers.length ? evidence.tiers.at(-1)! : undefined;
  if (evidence === undefined || below === undefined || below < 0 || below >= chosen)
    return { verdict: 'unknown', reason: `passed on ${name(chosen)}; no run on a cheaper tier to tell` };
  const replayed = isMisroute(assessment, {
    escalated: false,
    passedTierIndex: evidence.passed ? below : null,
  });
  if (replayed === 'over')
    return { verdict: 'over', reason: `passed on ${name(chosen)}; the re-run passed it on ${name(below)}` };
  if (below === chosen - 1)
    return {
      verdict: 'right',
      reason: `passed on ${name(chosen)}; the re-run on ${name(below)} did not pass`,
    };
  return {
    verdict: 'unknown',
    reason: `passed on ${name(chosen)}; the re-run on ${name(below)} did not pass, the rung between is not measured`,
  };
}

/** The attempts of one phase instance, as tier indexes, and whether that instance passed. */
function instanceOf(summary: RunSummary, instanceId: string, tiers: readonly string[]): Instance | undefined {
  const phase: PhaseSummary | undefined = summary.phases.find(
    (entry) => entry.id === ledgerPhase(instanceId),
  );
  if (phase === undefined) return undefined;
  const attempts = phase.attemptHistory.filter((attempt) => attempt.instanceId === instanceId);
  const round = phase.rounds.find((entry) => entry.instanceId === instanceId);
  return {
    tiers: attempts.map((attempt) => tiers.indexOf(attempt.tier)),
    passed: round?.status === 'passed',
  };
}
