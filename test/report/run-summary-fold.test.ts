/** The live fold of the new events: a retry's wait shown while it lasts, stop reasons kept per attempt. */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { phaseTable } from '../../src/cli/render/phase-table.js';
import { describeEvent } from '../../src/cli/render/plain-renderer.js';
import type { RunEvent } from '../../src/events/index.js';
import { summarizeRun } from '../../src/report/run-summary.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const events: RunEvent[] = [
  {
    runId: 'r',
    at: at(0),
    type: 'run-start',
    resumed: false,
    workspace: '/w',
    task: '# Task: do it',
    budgetUsd: 1,
    phases: [{ id: 'research', agent: 'research', model: 'm', costLimitUsd: 1, dependsOn: [] }],
  },
  { runId: 'r', at: at(0), type: 'phase-start', phaseId: 'research', resumed: false },
  { runId: 'r', at: at(10), type: 'attempt-start', phaseId: 'research', attempt: 1, tier: 't', model: 'p:m' },
  {
    runId: 'r',
    at: at(1_000),
    type: 'model-call-retry',
    phaseId: 'research',
    attempt: 1,
    turn: 1,
    provider: 'anthropic',
    model: 'p:m',
    try: 1,
    maxTries: 4,
    waitMs: 16_000,
    reason: 'rate limited by anthropic (HTTP 429)',
    status: 429,
  },
];
const stopped: RunEvent = {
  runId: 'r',
  at: at(20_000),
  type: 'attempt-end',
  phaseId: 'research',
  attempt: 1,
  turns: 3,
  stopReason: 'repeated-call',
  detail: 'the same call (read src/a.ts) was made 3 times',
};

describe('the run summary, live', () => {
  it('shows a phase waiting on a retry, for as long as the wait lasts, and counts the retry', () => {
    const summary = summarizeRun(events, 'r');
    expect(summary.title).toBe('do it');
    expect(summary.phases[0]!.retries).toEqual({ count: 1, waitMs: 16_000 });
    const during = stripVTControlCharacters(phaseTable(summary, Date.parse(at(1_000))));
    expect(during).toMatch(/research\s+waiting 16\.0s\s/);
    expect(during).toMatch(/1 \(waited 16\.0s\)/);
    const after = stripVTControlCharacters(phaseTable(summary, Date.parse(at(17_001))));
    expect(after).toMatch(/research\s+running\s/);
  });

  it('keeps why an attempt stopped, and says it in one plain line unless it simply answered', () => {
    const summary = summarizeRun([...events, stopped], 'r');
    expect(summary.phases[0]!.attemptHistory[0]).toMatchObject({
      stopReason: 'repeated-call',
      stopDetail: 'the same call (read src/a.ts) was made 3 times',
    });
    expect(summary.phases[0]!.waiting).toBeNull();
    expect(describeEvent(stopped)).toBe(
      'research: attempt 1 stopped — the same call (read src/a.ts) was made 3 times',
    );
    expect(describeEvent({ ...stopped, stopReason: 'answered', detail: null })).toBeUndefined();
  });
});
