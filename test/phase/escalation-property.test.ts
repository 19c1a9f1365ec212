/**
 * Escalation over random gate outcomes, costs, ladders and budgets, through the real engine and journal: it
 * always ends within the ladder's bounds, never spends past the phase's limit, and journals a reason for every
 * decision.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EscalationStep } from '../../src/config/types.js';
import type { EscalationDecision } from '../../src/phase/escalation.js';
import { harness } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const step = fc.constantFrom<EscalationStep>('retry', 'escalate', 'halt');

describe('escalation, property-based', () => {
  it('terminates within its bounds, never overspends, and gives a reason for each decision', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 0, maxLength: 5 }),
        fc.array(
          fc.record({
            passes: fc.boolean(),
            // Up to what the engine believes of a small prompt (usage-check.ts: 10× what was sent + 10k).
            input: fc.integer({ min: 100, max: 10_000 }),
            output: fc.integer({ min: 10, max: 900 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        async (ladder, attempts, limit) => {
          const workflow = testWorkflow({
            phases: [phase('planning', { escalation: ladder, costLimitUsd: limit, maxOutputTokens: 1_000 })],
          });
          const turns = attempts.map((attempt) => ({
            turns: [
              {
                text: report('planning', attempt.passes ? undefined : ['Handoff']),
                usage: { input: attempt.input, output: attempt.output },
              },
            ],
          }));
          const h = harness(workflow, { phases: { planning: turns } });
          try {
            const outcome = await h.run();
            const made = h.backend.calls.length;
            // One first attempt, plus at most one per ladder entry.
            expect(made).toBeLessThanOrEqual(ladder.length + 1);
            // Overshoot is bounded by one reservation: the most one call could have cost at this limit.
            expect(outcome.costUsd).toBeLessThanOrEqual(limit + 1_000 * 25e-6 + 20_000 * 25e-6);
            expect(['succeeded', 'halted', 'budget_exceeded']).toContain(outcome.status);
            const decisions = (await h.journal.listSteps(outcome.runId)).filter(
              (entry) => entry.kind === 'decision',
            );
            for (const decision of decisions)
              expect((decision.result as EscalationDecision).reason.length).toBeGreaterThan(0);
            const gates = h.events.filter((event) => event.type === 'gate-end' && !event.passed).length;
            if (outcome.status !== 'budget_exceeded') expect(decisions).toHaveLength(gates);
          } finally {
            h.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
