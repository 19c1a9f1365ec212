/**
 * A fanned-out implementation phase as its events and step records say it ran: three items (`api`, `ui`, `docs`)
 * in parallel, `ui` escalating once, `ui`'s merge conflicting on `src/app.ts` and resolved by a merge turn, then
 * the phase's own gate on the merged result. The step records are what the journal would hold: each lane's
 * calls under its own key, an item gate's judge billed with no event of its own.
 */
import type { RunEvent, TokenCounts } from '../../src/events/index.js';

export const RUN_ID = 'fan-out-run';
const at = (second: number) => new Date(Date.UTC(2026, 11, 5, 10, 0, second)).toISOString();
const tokens = (input: number, output: number): TokenCounts => ({
  inputNoCache: input,
  cacheRead: 0,
  cacheWrite: 0,
  output,
  reasoning: 0,
});

export interface FanOutStep {
  key: string;
  costUsd: number;
  usage?: TokenCounts;
}

/** Each call: the lane, its attempt and turn, its cost and tokens. */
const calls = [
  { item: 'api', attempt: 1, turn: 1, model: 'p:small', costUsd: 0.01, tokens: tokens(1000, 100), second: 3 },
  { item: 'docs', attempt: 1, turn: 1, model: 'p:small', costUsd: 0.005, tokens: tokens(500, 50), second: 4 },
  { item: 'ui', attempt: 1, turn: 1, model: 'p:small', costUsd: 0.012, tokens: tokens(1200, 120), second: 5 },
  { item: 'ui', attempt: 2, turn: 1, model: 'p:large', costUsd: 0.04, tokens: tokens(1500, 300), second: 9 },
  { item: 'api', attempt: 1, turn: 2, model: 'p:small', costUsd: 0.008, tokens: tokens(1100, 80), second: 6 },
] as const;
const mergeTurn = { costUsd: 0.02, tokens: tokens(2000, 200) };
/** The judge on `api`'s item gate: billed, journaled, and in no call's event. */
const judgeUsd = 0.003;

const limits = { api: 0.1, ui: 0.1, docs: 0.05 } as const;

export function fanOutEvents(): RunEvent[] {
  const base = { runId: RUN_ID };
  const phaseId = 'implementation';
  let runSpent = 0;
  const spentBy = new Map<string, number>();
  const events: RunEvent[] = [
    {
      ...base,
      at: at(0),
      type: 'run-start',
      resumed: false,
      workspace: '/w',
      task: '# Task: add a settings page',
      budgetUsd: 1,
      phases: [{ id: phaseId, agent: 'implementation', model: 'p:small', costLimitUsd: 0.4, dependsOn: [] }],
    },
    { ...base, at: at(1), type: 'phase-start', phaseId, resumed: false },
    {
      ...base,
      at: at(1),
      type: 'fan-out-start',
      phaseId,
      baseCommit: 'a'.repeat(40),
      maxParallel: 3,
      items: [
        { id: 'api', title: 'Settings API', dependsOn: [], files: ['src/api.ts'], costLimitUsd: limits.api },
        { id: 'ui', title: 'Settings page', dependsOn: [], files: ['src/app.ts'], costLimitUsd: limits.ui },
        {
          id: 'docs',
          title: 'Docs',
          dependsOn: ['api'],
          files: ['docs/settings.md'],
          costLimitUsd: limits.docs,
        },
      ],
    },
  ];
  for (const item of ['api', 'ui', 'docs'] as const) {
    events.push({
      ...base,
      at: at(2),
      type: 'item-start',
      phaseId,
      item,
      startCommit: 'a'.repeat(40),
      resumed: false,
    });
    events.push({
      ...base,
      at: at(2),
      type: 'attempt-start',
      phaseId,
      item,
      attempt: 1,
      tier: 'small',
      model: 'p:small',
    });
  }
  for (const call of calls) {
    const { item, attempt, turn, model, costUsd, second } = call;
    if (item === 'ui' && attempt === 2) {
      events.push(gate(item, 1, 0.5, at(8)));
      events.push({
        ...base,
        at: at(8),
        type: 'escalation-end',
        phaseId,
        item,
        attempt: 1,
        action: 'escalate',
        fromTier: 'small',
        toTier: 'large',
        reason: 'gate failed',
      });
      events.push({
        ...base,
        at: at(8),
        type: 'attempt-start',
        phaseId,
        item,
        attempt: 2,
        tier: 'large',
        model,
      });
    }
    runSpent += costUsd;
    spentBy.set(item, (spentBy.get(item) ?? 0) + costUsd);
    events.push({
      ...base,
      at: at(second - 1),
      type: 'model-call-start',
      phaseId,
      item,
      attempt,
      turn,
      model,
      reservedUsd: 0.05,
    });
    events.push({
      ...base,
      at: at(second),
      type: 'model-call-end',
      phaseId,
      item,
      attempt,
      turn,
      model,
      tokens: call.tokens,
      costUsd,
      phaseSpentUsd: spentBy.get(item)!,
      runSpentUsd: runSpent,
      replayed: false,
      durationMs: 900,
    });
  }
  runSpent += judgeUsd;
  const itemEnd = (
    item: 'api' | 'ui' | 'docs',
    second: number,
    attempts: number,
    model: string,
    costUsd: number,
    score: number,
  ): RunEvent => ({
    ...base,
    at: at(second),
    type: 'item-end',
    phaseId,
    item,
    status: 'passed',
    attempts,
    tier: model === 'p:large' ? 'large' : 'small',
    model,
    costUsd,
    gateScore: score,
    threshold: 0.8,
    commit: item.repeat(3),
    durationMs: (second - 2) * 1000,
    message: null,
  });
  events.push(gate('api', 1, 0.9, at(7)), itemEnd('api', 7, 1, 'p:small', 0.018 + judgeUsd, 0.9));
  events.push(gate('docs', 1, 1, at(7)), itemEnd('docs', 7, 1, 'p:small', 0.005, 1));
  events.push(gate('ui', 2, 0.95, at(10)), itemEnd('ui', 10, 2, 'p:large', 0.052, 0.95));
  events.push({
    ...base,
    at: at(11),
    type: 'merge-end',
    phaseId,
    item: 'api',
    index: 1,
    outcome: 'merged',
    files: [],
    commit: 'm1',
    costUsd: 0,
  });
  runSpent += mergeTurn.costUsd;
  events.push({
    ...base,
    at: at(12),
    type: 'attempt-start',
    phaseId,
    item: 'ui',
    mergeTurn: true,
    attempt: 1,
    tier: 'small',
    model: 'p:small',
  });
  events.push({
    ...base,
    at: at(13),
    type: 'model-call-end',
    phaseId,
    item: 'ui',
    mergeTurn: true,
    attempt: 1,
    turn: 1,
    model: 'p:small',
    tokens: mergeTurn.tokens,
    costUsd: mergeTurn.costUsd,
    phaseSpentUsd: mergeTurn.costUsd,
    runSpentUsd: runSpent,
    replayed: false,
    durationMs: 700,
  });
  events.push({
    ...base,
    at: at(14),
    type: 'merge-end',
    phaseId,
    item: 'ui',
    index: 2,
    outcome: 'resolved',
    files: ['src/app.ts'],
    commit: 'm2',
    costUsd: mergeTurn.costUsd,
  });
  events.push({
    ...base,
    at: at(14),
    type: 'merge-end',
    phaseId,
    item: 'docs',
    index: 3,
    outcome: 'merged',
    files: [],
    commit: 'm3',
    costUsd: 0,
  });
  events.push({
    ...base,
    at: at(15),
    type: 'fan-out-end',
    phaseId,
    status: 'merged',
    mergedCommit: 'm3',
    costUsd: runSpent,
    durationMs: 14_000,
    message: null,
  });
  events.push({
    ...base,
    at: at(16),
    type: 'gate-end',
    phaseId,
    attempt: 1,
    score: 0.9,
    threshold: 0.8,
    passed: true,
    vetoed: false,
    checks: [],
  });
  events.push({
    ...base,
    at: at(16),
    type: 'phase-end',
    phaseId,
    status: 'passed',
    attempts: 1,
    tier: 'small',
    model: 'p:small',
    costUsd: runSpent,
    gateScore: 0.9,
    threshold: 0.8,
    durationMs: 15_000,
    reportPath: null,
    message: null,
  });
  events.push({
    ...base,
    at: at(17),
    type: 'run-end',
    status: 'succeeded',
    costUsd: runSpent,
    durationMs: 17_000,
    exitCode: 0,
    message: null,
  });
  return events;

  function gate(item: string, attempt: number, score: number, when: string): RunEvent {
    return {
      ...base,
      at: when,
      type: 'gate-end',
      phaseId,
      item,
      attempt,
      score,
      threshold: 0.8,
      passed: score >= 0.8,
      vetoed: false,
      checks: [],
    };
  }
}

/** The step records of the same run: every billed call under its lane, the item gate's judge, the merge turn. */
export function fanOutSteps(): FanOutStep[] {
  return [
    ...calls.map((call) => ({
      key: `implementation/item-${call.item}/a${call.attempt}/t${call.turn}/model`,
      costUsd: call.costUsd,
      usage: call.tokens,
    })),
    { key: 'implementation/item-api/a1/judge-failed-j1', costUsd: judgeUsd },
    { key: 'implementation/merge-2/a1/t1/model', costUsd: mergeTurn.costUsd, usage: mergeTurn.tokens },
    { key: 'implementation/item-api/commit', costUsd: 0 },
    { key: 'implementation/fan-out', costUsd: 0 },
  ];
}
