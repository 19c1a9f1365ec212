/** The `judge` gate check through the engine: a model scores the report, paid from the phase's ledger. */
import { describe, expect, it } from 'vitest';
import type { GateCheckConfig } from '../../src/config/types.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const judgeCheck: GateCheckConfig = {
  kind: 'judge',
  name: 'judge',
  weight: 1,
  required: false,
  rubric: ['The plan names its risks', 'The plan says how to roll back'],
  model: 'large',
};

function judged(answer: string) {
  const workflow = testWorkflow({
    phases: [phase('planning', { escalation: ['halt'], gate: { threshold: 0.8, checks: [judgeCheck] } })],
  });
  const script = {
    phases: {
      planning: [{ turns: [{ text: report('planning') }] }],
      'planning/judge': [{ turns: [{ text: answer, usage: { input: 800, output: 60 } }] }],
    },
  };
  return make(workflow, script);
}

describe('the judge check', () => {
  it('scores with the configured model at temperature 0, records model and rubric version, and is paid for', async () => {
    const h = judged(
      '{"criteria": [{"id": 1, "score": 1, "reason": "risks listed"}, {"id": 2, "score": 0.8, "reason": "rollback named"}]}',
    );
    const outcome = await h.run();
    expect(outcome.status).toBe('succeeded');
    const judgeCall = h.backend.calls.find((call) => call.phaseId === 'planning/judge')!;
    expect(judgeCall.modelId).toBe('large');
    expect(judgeCall.request.temperature).toBe(0);
    const gate = h.events.find((event) => event.type === 'gate-end')!;
    expect(gate.type === 'gate-end' && gate.score).toBeCloseTo(0.9);
    const evidence =
      gate.type === 'gate-end'
        ? (gate.checks[0]!.evidence as { model: string; rubricVersion: string })
        : undefined;
    expect(evidence).toMatchObject({
      model: 'scripted:large',
      rubricVersion: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    // 800 input at $5/M + 60 output at $25/M, on top of the planning call itself.
    const gateStep = (await h.journal.listSteps(outcome.runId)).find((step) => step.kind === 'gate')!;
    expect(gateStep.costUsd).toBeCloseTo(0.0055, 10);
    expect(outcome.costUsd).toBeGreaterThan(gateStep.costUsd);
  });

  it('treats an unusable verdict as an error of the check, not as a low score', async () => {
    const h = judged('I think it is pretty good overall.');
    const outcome = await h.run();
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/judge/);
  });
});
