/** A reused phase in every view: the live table, the plain line, and the totals' line on reuse. */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { phaseTable } from '../../src/cli/render/phase-table.js';
import { describeEvent } from '../../src/cli/render/plain-renderer.js';
import type { RunEvent } from '../../src/events/index.js';
import { phaseCostText, reuseLine, statusText } from '../../src/report/index.js';
import { summarizeRun } from '../../src/report/run-summary.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const phases = ['research', 'planning'].map((id) => ({
  id,
  agent: id,
  model: 'm',
  costLimitUsd: 1,
  dependsOn: [],
}));
const reused: RunEvent = {
  runId: 'r2',
  at: at(5),
  type: 'phase-reused',
  phaseId: 'research',
  fromRunId: 'r1',
  originalCostUsd: 0.0128,
  originalDurationMs: 3_100,
  key: '6bf32627588d',
  changesApplied: false,
};
const events: RunEvent[] = [
  {
    runId: 'r2',
    at: at(0),
    type: 'run-start',
    resumed: false,
    workspace: '/w',
    task: 'do it',
    budgetUsd: 1,
    phases,
  },
  { runId: 'r2', at: at(1), type: 'phase-start', phaseId: 'research', resumed: false },
  reused,
  {
    runId: 'r2',
    at: at(9),
    type: 'phase-end',
    phaseId: 'research',
    status: 'passed',
    attempts: 1,
    tier: 'haiku',
    model: 'p:m',
    costUsd: 0,
    gateScore: 0.95,
    threshold: 0.8,
    durationMs: 8,
    reportPath: '/w/.phasewise/runs/r2/research/report.md',
    message: null,
  },
];

describe('a reused phase', () => {
  const summary = summarizeRun(events, 'r2');
  const research = summary.phases.find((phase) => phase.id === 'research')!;

  it('is folded with the run it came from, and what it cost there counts as saved by reuse', () => {
    expect(research.reusedFrom).toEqual({ runId: 'r1', costUsd: 0.0128, durationMs: 3_100 });
    expect(research.costUsd).toBe(0);
    expect(summary.savedByReuseUsd).toBeCloseTo(0.0128, 10);
    expect(summary.phases.find((phase) => phase.id === 'planning')!.reusedFrom).toBeUndefined();
  });

  it('reads "reused from <run>" with $0 spent and its original cost beside it', () => {
    expect(statusText(research)).toBe('passed, reused from r1');
    expect(phaseCostText(research)).toContain('$0.0128 there');
    const table = stripVTControlCharacters(phaseTable(summary));
    expect(table).toContain('passed, reused from r1');
    expect(table).toContain('$0.0128 there');
    expect(describeEvent(reused)).toBe(
      'research: reused from r1 — $0 spent here (it cost $0.0128 and took 3.1s there)',
    );
  });

  it('has a totals line apart from tiering, and none when nothing was reused', () => {
    expect(reuseLine(summary)).toContain('Reused from earlier runs: research');
    expect(reuseLine(summary)).toContain('$0.0128');
    expect(
      reuseLine(
        summarizeRun(
          events.filter((event) => event !== reused),
          'r2',
        ),
      ),
    ).toBeUndefined();
  });
});
