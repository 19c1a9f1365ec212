/**
 * A passed phase's outcome is the journal step `<phase>/result`, read back whole on resume. Records written
 * before outcomes carried a go / no-go and critical findings lack both: such a record still reads as a passed
 * outcome, its phase is skipped, and its handoff still reaches the phases after it.
 */
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import { recordReview } from '../../src/orchestrator/review.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

/** Rewrites a recorded result in place, as an older version of phasewise would have written it. */
function dropFields(databaseFile: string, runId: string, key: string, fields: string[]): void {
  const db = new (loadSqlite(databaseFile).DatabaseSync)(databaseFile);
  try {
    const paths = fields.map((field) => `'$.${field}'`).join(', ');
    db.prepare(
      `UPDATE steps SET result_json = json_remove(result_json, ${paths}) WHERE run_id = ? AND key = ?`,
    ).run(runId, key);
  } finally {
    db.close();
  }
}

describe('a recorded phase outcome', () => {
  it('of an older shape is read back on resume, its phase skipped and its handoff passed on', async () => {
    const workflow = testWorkflow({
      phases: [phase('research'), phase('planning', { dependsOn: ['research'], escalation: ['halt'] })],
    });
    const h = make(workflow, {
      phases: {
        research: [{ turns: [{ text: report('research') }] }],
        // Its gate fails (sections missing) and it halts; a person sends it back, and it tries again.
        planning: [
          { turns: [{ text: report('planning', ['Handoff']) }] },
          { turns: [{ text: report('planning') }] },
        ],
      },
    });
    const halted = await h.run();
    expect(halted.status).toBe('halted');
    const key = 'research/result';
    const before = (await h.journal.listSteps(halted.runId)).find((step) => step.key === key)!.result;
    expect(before).toHaveProperty('criticalFindings');
    dropFields(h.journal.location, halted.runId, key, ['verdict', 'criticalFindings']);
    const old = (await h.journal.listSteps(halted.runId)).find((step) => step.key === key)!.result;
    expect(Object.keys(old as object)).not.toContain('verdict');

    await recordReview(h.journal, halted.runId, {
      action: 'reject',
      feedback: 'Add the architecture and risks.',
    });
    const resumed = await h.run({ resume: { runId: halted.runId } });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.phases.map((outcome) => [outcome.phaseId, outcome.status])).toEqual([
      ['research', 'passed'],
      ['planning', 'passed'],
    ]);
    // Research ran once, in the first process; planning's second attempt, after the resume, was given its handoff.
    expect(h.backend.calls.map((call) => `${call.phaseId}/${call.attempt}`)).toEqual([
      'research/1',
      'planning/1',
      'planning/2',
    ]);
    const researchEnds = h.events.filter(
      (event) => event.type === 'phase-end' && event.phaseId === 'research',
    );
    expect(researchEnds.map((event) => event.replayed === true)).toEqual([false, true]);
    const planningPrompt = JSON.stringify(h.backend.calls[2]!.request.messages);
    expect(planningPrompt).toContain('research: handoff notes.');
  });
});
