import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EscalationStep } from '../../src/config/types.js';
import { decideEscalation, type EscalationInput } from '../../src/phase/escalation.js';

const base: EscalationInput = {
  ladder: ['retry', 'escalate', 'halt'],
  ladderIndex: 0,
  tiers: ['haiku', 'sonnet', 'opus'],
  tierIndex: 0,
  lastAttemptCostUsd: 0.01,
  nextTierPriceRatio: 3,
  availableUsd: 1,
};

describe('decideEscalation', () => {
  it('walks the default ladder: retry, then escalate, then halt', () => {
    const first = decideEscalation(base);
    expect(first).toMatchObject({ action: 'retry', ladderIndex: 1, tierIndex: 0 });
    const second = decideEscalation({ ...base, ladderIndex: first.ladderIndex });
    expect(second).toMatchObject({
      action: 'escalate',
      ladderIndex: 2,
      tierIndex: 1,
      reason: 'escalate to sonnet',
    });
    expect(decideEscalation({ ...base, ladderIndex: 2, tierIndex: 1 })).toMatchObject({ action: 'halt' });
    expect(decideEscalation({ ...base, ladderIndex: 3 })).toMatchObject({ action: 'fail' });
  });

  it('skips what does not fit the budget, and says so', () => {
    const decision = decideEscalation({ ...base, availableUsd: 0.005 });
    expect(decision.action).toBe('halt');
    expect(decision.reason).toContain('retry skipped: it would cost about $0.0100, $0.0050 left');
    expect(decision.reason).toContain('escalate skipped: it would cost about $0.0300');
  });

  it('does not escalate past the top tier or away from an explicit model', () => {
    expect(decideEscalation({ ...base, ladder: ['escalate'], tierIndex: 2 })).toMatchObject({
      action: 'fail',
      reason: 'escalate skipped: already on the top tier; the escalation ladder is exhausted',
    });
    expect(decideEscalation({ ...base, ladder: ['escalate', 'halt'], tierIndex: -1 }).action).toBe('halt');
  });

  it('never spends more than is available and never moves down a tier (property)', () => {
    const step = fc.constantFrom<EscalationStep>('retry', 'escalate', 'halt');
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 6 }),
        fc.nat(6),
        fc.integer({ min: -1, max: 2 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ladder, ladderIndex, tierIndex, cost, available) => {
          const input = {
            ...base,
            ladder,
            ladderIndex,
            tierIndex,
            lastAttemptCostUsd: cost,
            availableUsd: available,
          };
          const decision = decideEscalation(input);
          if (decision.action === 'retry') expect(cost).toBeLessThanOrEqual(available);
          if (decision.action === 'escalate') {
            expect(cost * base.nextTierPriceRatio).toBeLessThanOrEqual(available);
            expect(decision.tierIndex).toBe(tierIndex + 1);
          } else {
            expect(decision.tierIndex).toBe(tierIndex);
          }
          expect(decision.ladderIndex).toBeGreaterThan(Math.min(ladderIndex, ladder.length) - 1);
          expect(decision.ladderIndex).toBeLessThanOrEqual(ladder.length);
        },
      ),
    );
  });
});
