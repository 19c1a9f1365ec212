/** A phase halted for review, answered by a person: approve, reject with feedback, or abort — each journaled. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/index.js';
import { pendingReviews, recordReview } from '../../src/orchestrator/review.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

function haltingRun() {
  const workflow = testWorkflow({
    phases: [phase('planning', { escalation: ['halt'] }), phase('review', { dependsOn: ['planning'] })],
  });
  const script = {
    phases: {
      planning: [
        { turns: [{ text: report('planning', ['Handoff']) }] },
        { turns: [{ text: report('planning') }] },
      ],
      review: [{ turns: [{ text: report('review') }] }],
    },
  };
  return make(workflow, script);
}

describe('manual review', () => {
  it('halts with exit 3 and waits; approve accepts the output as it is and the run goes on', async () => {
    const h = haltingRun();
    const halted = await h.run();
    expect([halted.status, halted.exitCode]).toEqual(['halted', 3]);
    expect(halted.message).toContain('phasewise approve');
    expect(await pendingReviews(h.journal, halted.runId)).toMatchObject([
      { phaseId: 'planning', attempt: 1 },
    ]);

    await recordReview(h.journal, halted.runId, { action: 'approve' });
    expect(await pendingReviews(h.journal, halted.runId)).toEqual([]);
    const resumed = await h.run({ resume: { runId: halted.runId } });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.phases[0]).toMatchObject({ phaseId: 'planning', status: 'passed', attempts: 1 });
    expect(resumed.phases[0]!.message).toMatch(/^approved by .+ at gate score/);
    expect(h.backend.calls.map((call) => `${call.phaseId}/${call.attempt}`)).toEqual([
      'planning/1',
      'review/1',
    ]);
  });

  it('reject sends the phase back with the person’s feedback, on a fresh ladder', async () => {
    const h = haltingRun();
    const halted = await h.run();
    await recordReview(h.journal, halted.runId, {
      action: 'reject',
      feedback: 'Name the risks of the migration.',
    });
    const resumed = await h.run({ resume: { runId: halted.runId } });
    expect(resumed.status).toBe('succeeded');
    const second = h.backend.calls.find((call) => call.phaseId === 'planning' && call.attempt === 2)!;
    expect(JSON.stringify(second.request.messages)).toContain('Name the risks of the migration.');
    expect((await h.journal.listSteps(halted.runId)).filter((step) => step.kind === 'review')).toHaveLength(
      1,
    );
  });

  it('abort ends the run for good, without calling the model again', async () => {
    const h = haltingRun();
    const halted = await h.run();
    await recordReview(h.journal, halted.runId, { action: 'abort' });
    const ended = await h.run({ resume: { runId: halted.runId } });
    expect([ended.status, ended.exitCode]).toEqual(['aborted', 3]);
    expect(h.backend.calls).toHaveLength(1);
  });

  it('refuses answers that do not fit: nothing waiting, or a rejection without feedback', async () => {
    const h = haltingRun();
    const halted = await h.run();
    await expect(recordReview(h.journal, halted.runId, { action: 'reject', feedback: ' ' })).rejects.toThrow(
      UsageError,
    );
    await expect(
      recordReview(h.journal, halted.runId, { action: 'approve', phaseId: 'review' }),
    ).rejects.toThrow(/not waiting/);
    await recordReview(h.journal, halted.runId, { action: 'approve' });
    await h.run({ resume: { runId: halted.runId } });
    await expect(recordReview(h.journal, halted.runId, { action: 'approve' })).rejects.toThrow(
      /not waiting for a review \(it is succeeded\)/,
    );
  });

  it('lets a person answer a phase whose ladder ran out, too', async () => {
    const workflow = testWorkflow({ phases: [phase('planning', { escalation: ['retry'] })] });
    const h = make(workflow, { phases: { planning: [{ turns: [{ text: 'nothing useful' }] }] } });
    const halted = await h.run();
    expect([halted.status, halted.exitCode]).toEqual(['halted', 3]);
    expect(await pendingReviews(h.journal, halted.runId)).toMatchObject([
      { phaseId: 'planning', attempt: 2 },
    ]);
    await recordReview(h.journal, halted.runId, { action: 'abort' });
    expect((await h.run({ resume: { runId: halted.runId } })).status).toBe('aborted');
  });
});
