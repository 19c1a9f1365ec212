/** Records for the journal contract suite: realistic shapes, one event of every type. */
import type { RunEvent } from '../../../src/events/index.js';
import type { NewRun, StepRecord } from '../../../src/journal/index.js';

export function sampleRun(runId: string, createdAt = '2026-03-01T10:00:00.000Z'): NewRun {
  return {
    runId,
    createdAt,
    task: 'Add rate limiting to the public API',
    workspace: '/repos/shop',
    workflow: {
      phases: [
        { id: 'research', model: 'haiku', costLimitUsd: 0.05, dependsOn: [] },
        { id: 'planning', model: 'opus', costLimitUsd: 0.3, dependsOn: ['research'] },
      ],
      budget: { usd: 1.5 },
      notes: 'ünïcødé, "quotes", and\nnewlines survive',
    },
    workflowHash: `hash-of-${runId}`,
  };
}

export function sampleStep(
  runId: string,
  key: string,
  costUsd = 0,
  result: unknown = { text: `result of ${key}` },
): Omit<StepRecord, 'schemaVersion'> {
  return {
    runId,
    key,
    phaseId: key.split('/')[0] ?? null,
    kind: key.endsWith('/model') ? 'model' : 'tool',
    result,
    costUsd,
    startedAt: '2026-03-01T10:00:01.000Z',
    endedAt: '2026-03-01T10:00:02.500Z',
  };
}

const tokens = { inputNoCache: 1200, cacheRead: 300, cacheWrite: 0, output: 450, reasoning: 0 };

/** One event of each type of the RunEvent union, in a plausible order. */
export function sampleEvents(runId: string): RunEvent[] {
  const at = (second: number) => `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`;
  const call = { phaseId: 'research', attempt: 1, turn: 1, model: 'anthropic:claude-haiku-4-5' };
  return [
    {
      runId,
      at: at(0),
      type: 'run-start',
      resumed: false,
      workspace: '/repos/shop',
      task: 'Add rate limiting',
      budgetUsd: 1.5,
      phases: [{ id: 'research', agent: 'research', model: 'haiku', costLimitUsd: 0.05, dependsOn: [] }],
    },
    { runId, at: at(1), type: 'phase-start', phaseId: 'research', resumed: false },
    {
      runId,
      at: at(2),
      type: 'attempt-start',
      phaseId: 'research',
      attempt: 1,
      tier: 'haiku',
      model: call.model,
    },
    { runId, at: at(3), type: 'model-call-start', ...call, reservedUsd: 0.004 },
    {
      runId,
      at: at(4),
      type: 'model-call-end',
      ...call,
      tokens,
      costUsd: 0.0031,
      phaseSpentUsd: 0.0031,
      runSpentUsd: 0.0031,
      replayed: false,
      durationMs: 812,
    },
    { runId, at: at(5), type: 'tool-call', ...call, tool: 'grep', summary: 'grep "rateLimit" src/' },
    { runId, at: at(6), type: 'tool-call-end', ...call, tool: 'grep', ok: true, replayed: false },
    {
      runId,
      at: at(7),
      type: 'budget-warning',
      phaseId: 'research',
      spentUsd: 0.04,
      limitUsd: 0.05,
      message: '80 %',
    },
    {
      runId,
      at: at(8),
      type: 'gate-end',
      phaseId: 'research',
      attempt: 1,
      score: 0.72,
      threshold: 0.8,
      passed: false,
      vetoed: false,
      checks: [
        {
          name: 'sections',
          kind: 'sections',
          score: 0.5,
          weight: 1,
          required: true,
          passed: false,
          message: 'no risks',
        },
      ],
    },
    {
      runId,
      at: at(9),
      type: 'escalation-end',
      phaseId: 'research',
      attempt: 1,
      action: 'escalate',
      fromTier: 'haiku',
      toTier: 'sonnet',
      reason: 'gate failed; escalation fits the budget',
    },
    {
      runId,
      at: at(10),
      type: 'phase-end',
      phaseId: 'research',
      status: 'passed',
      attempts: 2,
      tier: 'sonnet',
      model: 'anthropic:claude-sonnet-4-5',
      costUsd: 0.021,
      gateScore: 0.86,
      threshold: 0.8,
      durationMs: 15_300,
      reportPath: '.phasewise/runs/r/research.md',
      message: null,
    },
    {
      runId,
      at: at(11),
      type: 'run-end',
      status: 'succeeded',
      costUsd: 0.9,
      durationMs: 60_000,
      exitCode: 0,
      message: null,
    },
  ];
}
