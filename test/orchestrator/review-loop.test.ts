/** The review loop: critical findings send the work back to implementation, then to review again. */
import { describe, expect, it } from 'vitest';
import { pendingReviews, recordReview } from '../../src/orchestrator/review.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const REWORK_ROUNDS = 2;

const critical = `${report('review')}\n\n\`\`\`json\n[{"severity": "critical", "file": "src/auth.js", "line": 12, "issue": "tokens never expire", "fix": "check exp"}]\n\`\`\``;
const clean = `${report('review')}\n\n\`\`\`json\n[{"severity": "low", "file": "README.md", "line": null, "issue": "typo", "fix": "fix it"}]\n\`\`\``;
const turn = (text: string) => [{ turns: [{ text }] }];

function reviewLoop(reviews: string[]) {
  const workflow = testWorkflow({
    reviewRounds: REWORK_ROUNDS,
    phases: [
      phase('implementation'),
      phase('review', { dependsOn: ['implementation'] }),
      phase('verification', { dependsOn: ['review'] }),
    ],
  });
  const script: Record<string, Array<{ turns: Array<{ text: string }> }>> = {
    implementation: turn(report('implementation')),
    review: turn(reviews[0]!),
    verification: turn(report('verification')),
  };
  for (let round = 2; round <= reviews.length; round += 1) {
    script[`implementation@${round}`] = turn(report('implementation'));
    script[`review@${round}`] = turn(reviews[round - 1]!);
  }
  return make(workflow, { phases: script });
}

describe('the review loop', () => {
  it('sends critical findings back to implementation, reviews again, and goes on when they are fixed', async () => {
    const h = reviewLoop([critical, clean]);
    const outcome = await h.run();
    expect(outcome.status).toBe('succeeded');
    expect(h.backend.calls.map((call) => call.phaseId)).toEqual([
      'implementation',
      'review',
      'implementation@2',
      'review@2',
      'verification',
    ]);
    const rework = h.backend.calls.find((call) => call.phaseId === 'implementation@2')!;
    expect(JSON.stringify(rework.request.messages)).toContain(
      'CRITICAL (src/auth.js:12): tokens never expire',
    );
    expect(outcome.phases.find((entry) => entry.phaseId === 'review')!.status).toBe('passed');
  });

  it('follows the roles agents extend, not their names', async () => {
    const base = testWorkflow();
    const as = (name: string, role: 'implementation' | 'review') => ({
      ...base.agents[role]!,
      name,
      builtin: false,
      role,
    });
    const workflow = testWorkflow({
      agents: { ...base.agents, builder: as('builder', 'implementation'), critic: as('critic', 'review') },
      phases: [
        phase('build', { agent: 'builder' }),
        phase('check', { agent: 'critic', dependsOn: ['build'] }),
      ],
    });
    const h = make(workflow, {
      phases: {
        build: turn(report('implementation')),
        check: turn(critical),
        'build@2': turn(report('implementation')),
        'check@2': turn(clean),
      },
    });
    const outcome = await h.run();
    expect(outcome.status).toBe('succeeded');
    expect(h.backend.calls.map((call) => call.phaseId)).toEqual(['build', 'check', 'build@2', 'check@2']);
  });

  it(`halts after ${REWORK_ROUNDS} rounds when critical findings remain`, async () => {
    const h = reviewLoop(Array.from({ length: REWORK_ROUNDS + 1 }, () => critical));
    const outcome = await h.run();
    expect([outcome.status, outcome.exitCode]).toEqual(['halted', 3]);
    expect(outcome.message).toContain(`after ${REWORK_ROUNDS} rework round(s)`);
    expect(h.backend.calls.filter((call) => call.phaseId.startsWith('review'))).toHaveLength(
      REWORK_ROUNDS + 1,
    );
    expect(h.backend.calls.some((call) => call.phaseId === 'verification')).toBe(false);
  });

  it('replays every round on resume without calling the model again', async () => {
    const h = reviewLoop([critical, clean]);
    const first = await h.run();
    const calls = h.backend.calls.length;
    const again = await h.run({ resume: { runId: first.runId } });
    expect(again.status).toBe('succeeded');
    expect(h.backend.calls).toHaveLength(calls);
    expect(again.costUsd).toBeCloseTo(first.costUsd, 10);
  });

  it('waits for a person when the rounds run out: approve accepts the review, abort ends the run', async () => {
    for (const action of ['approve', 'abort'] as const) {
      const h = reviewLoop(Array.from({ length: REWORK_ROUNDS + 1 }, () => critical));
      const halted = await h.run();
      expect(halted.message).toContain('phasewise approve');
      expect(await pendingReviews(h.journal, halted.runId)).toMatchObject([
        { phaseId: `review@${REWORK_ROUNDS + 1}` },
      ]);
      await recordReview(h.journal, halted.runId, { action });
      const answered = await h.run({ resume: { runId: halted.runId } });
      expect(answered.status).toBe(action === 'approve' ? 'succeeded' : 'aborted');
    }
  });
});
