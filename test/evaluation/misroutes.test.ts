/**
 * The misroute classification of `model: auto`, on hand-made summaries: each verdict and each reason it can
 * give, with and without a re-run to tell whether a cheaper tier would have passed.
 */
import { describe, expect, it } from 'vitest';
import { countMisroutes } from '../../src/evaluation/misroutes.js';
import type { StepRecord } from '../../src/journal/journal.js';
import { emptyRunSummary, newPhase, noTokens, type RunSummary } from '../../src/report/summary-types.js';

const tiers = ['haiku', 'sonnet', 'opus'];

function choice(phaseId: string, tierIndex: number): StepRecord {
  return {
    runId: 'r',
    key: `${phaseId}/model-choice`,
    phaseId,
    kind: 'model-choice',
    result: { score: tierIndex / 3, tierIndex, tier: tiers[tierIndex], signals: [], version: 'complexity-1' },
    costUsd: 0,
    startedAt: '2026-12-05T00:00:00.000Z',
    endedAt: '2026-12-05T00:00:00.000Z',
    schemaVersion: 2,
  };
}

/** A run whose one phase made attempts on these tiers and ended passed or failed. */
function run(attemptTiers: string[], passed: boolean): RunSummary {
  const summary = emptyRunSummary('r');
  const phase = newPhase('implementation', 'implementation', '', 1);
  phase.attemptHistory = attemptTiers.map((tier, index) => ({
    instanceId: 'implementation',
    round: 1,
    attempt: index + 1,
    tier,
    model: `m:${tier}`,
    startedAt: '2026-12-05T00:00:00.000Z',
    durationMs: 1,
    tokens: noTokens(),
    costUsd: 0,
    gate: null,
    stopReason: 'answered',
    stopDetail: null,
    retries: { count: 0, waitMs: 0 },
  }));
  phase.rounds = [
    {
      instanceId: 'implementation',
      round: 1,
      status: passed ? 'passed' : 'failed',
      attempts: attemptTiers.length,
      durationMs: 1,
    },
  ];
  summary.phases = [phase];
  return summary;
}

const verdictOf = (chosen: number, original: RunSummary, rerun: RunSummary | null) =>
  countMisroutes([choice('implementation', chosen)], original, tiers, rerun).phases[0]!;

describe('countMisroutes', () => {
  it('says under when the phase escalated, whether or not it passed', () => {
    expect(verdictOf(0, run(['haiku', 'sonnet'], true), null)).toMatchObject({
      verdict: 'under',
      reason: 'started on haiku, passed on sonnet',
    });
    expect(verdictOf(0, run(['haiku', 'opus'], false), null)).toMatchObject({
      verdict: 'under',
      reason: 'started on haiku, escalated to opus and did not pass',
    });
  });

  it('says right on the cheapest tier, and unknown above it without a cheaper run', () => {
    expect(verdictOf(0, run(['haiku'], true), null).verdict).toBe('right');
    expect(verdictOf(2, run(['opus'], true), null).verdict).toBe('unknown');
    expect(verdictOf(2, run(['opus'], true), run(['opus'], true)).verdict).toBe('unknown');
  });

  it('takes a cheaper re-run as evidence: passed is over, failed one rung lower is right', () => {
    expect(verdictOf(2, run(['opus'], true), run(['haiku'], true))).toMatchObject({
      verdict: 'over',
      reason: 'passed on opus; the re-run passed it on haiku',
    });
    expect(verdictOf(2, run(['opus'], true), run(['sonnet', 'sonnet'], false)).verdict).toBe('right');
    expect(verdictOf(2, run(['opus'], true), run(['haiku'], false))).toMatchObject({
      verdict: 'unknown',
      reason: 'passed on opus; the re-run on haiku did not pass, the rung between is not measured',
    });
  });

  it('says unknown for a phase that never passed on its tier, and counts each verdict', () => {
    expect(verdictOf(1, run(['sonnet', 'sonnet'], false), run(['haiku'], true)).verdict).toBe('unknown');
    const counted = countMisroutes(
      [choice('implementation', 0), { ...choice('other', 0), result: { broken: true } }],
      run(['haiku', 'sonnet'], true),
      tiers,
      null,
    );
    expect(counted).toMatchObject({ autoPhases: 1, under: 1, over: 0, right: 0, unknown: 0 });
  });
});
