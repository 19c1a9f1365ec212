import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/index.js';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import { buildReport, reportHtml, reportMarkdown } from '../../src/report/index.js';
import { harnessesClosedAfterEach, oneTurnScript } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const ids = ['research', 'planning', 'implementation', 'review', 'verification'];
const allReports = () => Object.fromEntries(ids.map((id) => [id, report(id)]));
const make = harnessesClosedAfterEach();
const reusedIn = (events: RunEvent[], runId: string) =>
  events.filter((event) => event.type === 'phase-reused' && event.runId === runId);

describe('the phase cache', () => {
  it('reuses read-only phases of an identical second run at no cost, and runs the others', async () => {
    const h = make(testWorkflow(), oneTurnScript(allReports()));
    const first = await h.run();
    expect(first.status).toBe('succeeded');
    const callsBefore = h.backend.calls.length;
    const second = await h.run();
    expect(second.status).toBe('succeeded');
    // Only implementation may write (these test roles all only read otherwise), so only it runs again; the
    // phases after it see the same handoff and workspace, so they are reused too.
    expect(h.backend.calls.slice(callsBefore).map((call) => call.phaseId)).toEqual(['implementation']);
    const reused = reusedIn(h.events, second.runId);
    expect(reused.map((event) => event.type === 'phase-reused' && event.phaseId)).toEqual([
      'research',
      'planning',
      'review',
      'verification',
    ]);
    for (const event of reused) {
      if (event.type !== 'phase-reused') continue;
      expect(event.fromRunId).toBe(first.runId);
      expect(event.originalCostUsd).toBeCloseTo(0.0035, 10);
    }
    const research = second.phases.find((outcome) => outcome.phaseId === 'research')!;
    expect(research).toMatchObject({ status: 'passed', costUsd: 0, reusedFrom: { runId: first.runId } });
    expect(second.costUsd).toBeCloseTo(0.0035, 10);
    // The reused report is this run's artifact, and the next phase read it as its upstream.
    expect(research.reportPath).toContain(second.runId);
    // The report: each reused phase's row says where it came from; the totals say what reuse saved.
    const report = await buildReport(h.journal, (await h.journal.getRun(second.runId))!);
    const markdown = reportMarkdown(report);
    expect(markdown).toContain(`| research | passed, reused from ${first.runId} |`);
    expect(markdown).toContain('Reused from earlier runs: research, planning, review, verification');
    expect(report.savedByReuseUsd).toBeCloseTo(4 * 0.0035, 10);
    expect(reportHtml(report)).toContain(`passed, reused from ${first.runId}`);
  });

  it('misses when the task or one workspace file changes, and hits again on the same inputs', async () => {
    const workflow = testWorkflow({ phases: [phase('research')] });
    const h = make(workflow, oneTurnScript({ research: report('research') }));
    writeFileSync(join(workflow.workspace, 'notes.txt'), 'one');
    await h.run();
    const calls = () => h.backend.calls.length;
    await h.run();
    expect(calls()).toBe(1);
    await h.run({ task: 'another task' });
    expect(calls()).toBe(2);
    writeFileSync(join(workflow.workspace, 'notes.txt'), 'two');
    await h.run();
    expect(calls()).toBe(3);
    await h.run();
    expect(calls()).toBe(3);
  });

  it('misses when the gate or the tier changes', async () => {
    const workflow = testWorkflow({ phases: [phase('research')] });
    const h = make(workflow, oneTurnScript({ research: report('research') }));
    await h.run();
    const gate = { ...workflow.phases[0]!.gate, threshold: 0.85 };
    await h.run({ workflow: { ...workflow, phases: [phase('research', { gate })] } });
    expect(h.backend.calls.length).toBe(2);
    await h.run({
      workflow: { ...workflow, phases: [phase('research', { model: { kind: 'tier', tier: 'medium' } })] },
    });
    expect(h.backend.calls.length).toBe(3);
  });

  it('calls the model for every phase with reuse off', async () => {
    const workflow = testWorkflow({ phases: [phase('research')] });
    const h = make(workflow, oneTurnScript({ research: report('research') }));
    await h.run();
    await h.run({ reuse: 'off' });
    expect(h.backend.calls.length).toBe(2);
  });

  it('never stores a phase that did not pass its gate', async () => {
    const workflow = testWorkflow({ phases: [phase('research', { escalation: ['halt'] })] });
    // No sections: the gate fails and the ladder halts.
    const h = make(workflow, oneTurnScript({ research: 'nothing useful' }));
    const first = await h.run();
    expect(first.status).toBe('halted');
    await h.run();
    expect(h.backend.calls.length).toBe(2);
    expect(reusedIn(h.events, first.runId)).toEqual([]);
  });

  it('replays a reuse on resume from the journal, without looking the cache up again', async () => {
    const workflow = testWorkflow({ phases: [phase('research')] });
    const h = make(workflow, oneTurnScript({ research: report('research') }));
    await h.run();
    const second = await h.run();
    // Empty the cache behind the journal's back: a resume that looked it up again would call the model.
    const file = join(workflow.workspace, '.phasewise', 'journal.db');
    const db = new (loadSqlite(file).DatabaseSync)(file);
    db.exec('DELETE FROM phase_cache');
    db.close();
    const resumed = await h.run({ resume: { runId: second.runId } });
    expect(resumed.status).toBe('succeeded');
    expect(h.backend.calls.length).toBe(1);
    expect(resumed.phases[0]).toMatchObject({ costUsd: 0, reusedFrom: { costUsd: expect.any(Number) } });
    const replayed = h.events.filter(
      (event) => event.type === 'phase-reused' && event.runId === second.runId,
    );
    expect(replayed.map((event) => event.replayed === true)).toEqual([false, true]);
  });
});
