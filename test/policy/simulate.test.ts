/**
 * `simulatePolicies` on a table small enough to work out by hand (test/fixtures/policy/hand-outcomes.json):
 *
 *            model-a (haiku, rank 1)   model-b (sonnet, rank 2)   model-c (opus, rank 3)
 *   task-1   solved  $0.01             solved  $0.05              solved  $0.20
 *   task-2   failed  $0.02             solved  $0.06              solved  $0.25
 *   task-3   failed  $0.03             failed  $0.08              solved  $0.30
 *   task-4   failed  $0.04             failed  $0.10              failed  $0.40
 *
 * The built-in workflow's implementation phase starts on sonnet with the ladder retry → escalate → halt, so the
 * configured policy tries sonnet, sonnet again, then opus.
 */
import { describe, expect, it } from 'vitest';
import { type PolicySimulation, type SimulationResult, simulatePolicies } from '../../src/policy/index.js';
import { handTable, workflowWithImplementation } from './hand-table.js';

const byId = (result: SimulationResult, id: string): PolicySimulation => {
  const policy = result.policies.find((candidate) => candidate.id === id);
  if (policy === undefined) throw new Error(`no policy ${id}`);
  return policy;
};

describe('a perfect verifier (false-pass 0, false-fail 0): deterministic', () => {
  const result = simulatePolicies({ workflow: workflowWithImplementation(), table: handTable() });

  it('maps the tiers by tier_rank and lists every policy, the oracle last', () => {
    expect(result.mapping).toEqual({
      how: 'rank',
      tiers: [
        { tier: 'haiku', model: 'model-a', tierRank: 1 },
        { tier: 'sonnet', model: 'model-b', tierRank: 2 },
        { tier: 'opus', model: 'model-c', tierRank: 3 },
      ],
    });
    expect(result.policies.map((policy) => policy.id)).toEqual([
      'configured',
      'all-cheapest',
      'all-sonnet',
      'all-top',
      'oracle',
    ]);
    expect(result.trials).toBeNull();
    expect(result.seed).toBeNull();
    expect(result.phase).toEqual({
      id: 'implementation',
      start: 'sonnet',
      ladder: ['retry', 'escalate', 'halt'],
    });
    expect(result.notes[0]).toContain('applied to each task as a whole');
  });

  it('configured: sonnet, sonnet again, opus, until one is accepted', () => {
    const configured = byId(result, 'configured');
    expect(configured.attempts).toEqual(['sonnet', 'sonnet', 'opus']);
    // task-1: sonnet solves, accepted: $0.05. task-2: sonnet solves: $0.06.
    // task-3: sonnet fails, the retry fails the same way, opus solves: 0.08 + 0.08 + 0.30 = $0.46.
    // task-4: all three fail, then halt: 0.10 + 0.10 + 0.40 = $0.60. Total 0.05 + 0.06 + 0.46 + 0.60 = $1.17.
    expect(configured.tasksSolved.value).toBe(3);
    expect(configured.solvedRate.value).toBe(0.75);
    expect(configured.totalCostUsd.value).toBeCloseTo(1.17, 12);
    expect(configured.totalCostUsd.low).toBeNull();
    expect(configured.totalCostUsd.high).toBeNull();
    expect(configured.costPerSolvedUsd.value).toBeCloseTo(1.17 / 3, 12); // $0.39
    expect(configured.costVsAllTop.value).toBeCloseTo(1.17 / 1.15, 12); // 101.7 %: the retries were wasted
    expect(configured.wrongShipped.value).toBe(0);
    // attempts: 1 + 1 + 3 + 3 = 8 over 4 tasks
    expect(configured.attemptsPerTask).toBe(2);
  });

  it('single tiers: one attempt each', () => {
    const cheapest = byId(result, 'all-cheapest');
    // haiku solves task-1 only; 0.01 + 0.02 + 0.03 + 0.04 = $0.10
    expect([cheapest.tasksSolved.value, cheapest.totalCostUsd.value]).toEqual([1, expect.closeTo(0.1, 12)]);
    expect(cheapest.costPerSolvedUsd.value).toBeCloseTo(0.1, 12);
    expect(cheapest.costVsAllTop.value).toBeCloseTo(0.1 / 1.15, 12);
    const sonnet = byId(result, 'all-sonnet');
    // sonnet solves task-1 and task-2; 0.05 + 0.06 + 0.08 + 0.10 = $0.29, $0.145 a solved task
    expect([sonnet.tasksSolved.value, sonnet.totalCostUsd.value]).toEqual([2, expect.closeTo(0.29, 12)]);
    expect(sonnet.costPerSolvedUsd.value).toBeCloseTo(0.145, 12);
    const top = byId(result, 'all-top');
    // opus solves tasks 1–3; 0.20 + 0.25 + 0.30 + 0.40 = $1.15
    expect([top.tasksSolved.value, top.totalCostUsd.value]).toEqual([3, expect.closeTo(1.15, 12)]);
    expect(top.costPerSolvedUsd.value).toBeCloseTo(1.15 / 3, 12);
    expect(top.costVsAllTop.value).toBe(1);
    for (const policy of [cheapest, sonnet, top]) expect(policy.wrongShipped.value).toBe(0);
  });

  it('oracle: the cheapest model that solves each task; an unsolvable task costs nothing', () => {
    const oracle = byId(result, 'oracle');
    // task-1 haiku $0.01, task-2 sonnet $0.06, task-3 opus $0.30, task-4 none: $0.37 for 3 tasks
    expect(oracle.kind).toBe('bound');
    expect(oracle.tasksSolved.value).toBe(3);
    expect(oracle.totalCostUsd.value).toBeCloseTo(0.37, 12);
    expect(oracle.costVsAllTop.value).toBeCloseTo(0.37 / 1.15, 12);
  });

  it('gives proportions their Wilson interval over the 4 tasks', () => {
    // 3 of 4, z = 1.96: centre (0.75 + 1.9208/4) / (1 + 3.8415/4) = 1.23018 / 1.96036 = 0.62753,
    // half 0.99980 × sqrt(0.75 × 0.25 / 4 + 3.8415 / 64) = 0.99980 × 0.32695 = 0.32689 → [0.3006, 0.9544]
    const configured = byId(result, 'configured');
    expect(configured.solvedRate.low).toBeCloseTo(0.3006, 4);
    expect(configured.solvedRate.high).toBeCloseTo(0.9544, 4);
    expect(configured.tasksSolved.low).toBeCloseTo(4 * 0.3006, 3);
    // 0 of 4: [0, 3.8415 / (4 + 3.8415)] = [0, 0.4899]
    expect(configured.wrongShippedRate.low).toBeCloseTo(0, 12);
    expect(configured.wrongShippedRate.high).toBeCloseTo(0.4899, 4);
  });
});

describe('an imperfect verifier (false-pass 0.1, false-fail 0.2)', () => {
  const verifier = { falsePassRate: 0.1, falseFailRate: 0.2 };
  const result = simulatePolicies({
    workflow: workflowWithImplementation(),
    table: handTable(),
    verifier,
    trials: 4000,
    seed: 7,
  });

  it('configured: exact expectations, summed over where each task stops', () => {
    // A solved attempt is accepted with 0.8, an unsolved one with 0.1; each attempt is reached when all before
    // it were rejected.
    // task-1 (solved, solved, solved; $0.05, $0.05, $0.20): reached 1, 0.2, 0.04
    //   cost 0.05 + 0.2 × 0.05 + 0.04 × 0.20 = 0.068; solved 0.8 + 0.16 + 0.032 = 0.992
    // task-2 ($0.06, $0.06, $0.25): cost 0.06 + 0.012 + 0.01 = 0.082; solved 0.992
    // task-3 (failed, failed, solved; $0.08, $0.08, $0.30): reached 1, 0.9, 0.81
    //   cost 0.08 + 0.072 + 0.243 = 0.395; solved 0.81 × 0.8 = 0.648; shipped wrong 0.1 + 0.09 = 0.19
    // task-4 (failed ×3; $0.10, $0.10, $0.40): cost 0.10 + 0.09 + 0.324 = 0.514; shipped wrong 0.1 + 0.09 + 0.081
    // totals: cost 1.059, solved 2.632, wrong 0.461; attempts (1.24 + 1.24 + 2.71 + 2.71) / 4 = 1.975
    const configured = byId(result, 'configured');
    expect(configured.totalCostUsd.value).toBeCloseTo(1.059, 12);
    expect(configured.tasksSolved.value).toBeCloseTo(2.632, 12);
    expect(configured.solvedRate.value).toBeCloseTo(0.658, 12);
    expect(configured.wrongShipped.value).toBeCloseTo(0.461, 12);
    expect(configured.attemptsPerTask).toBeCloseTo(1.975, 12);
    expect(configured.costPerSolvedUsd.value).toBeCloseTo(1.059 / 2.632, 12);
    expect(configured.costVsAllTop.value).toBeCloseTo(1.059 / 1.15, 12);
  });

  it('single tiers: one verdict per task, the cost fixed', () => {
    // haiku: solved 0.8 (task-1); wrong 3 × 0.1 = 0.3. sonnet: 2 × 0.8 = 1.6; 2 × 0.1 = 0.2. opus: 2.4; 0.1.
    const expected: Array<[string, number, number, number]> = [
      ['all-cheapest', 0.8, 0.3, 0.1],
      ['all-sonnet', 1.6, 0.2, 0.29],
      ['all-top', 2.4, 0.1, 1.15],
    ];
    for (const [id, solved, wrong, cost] of expected) {
      const policy = byId(result, id);
      expect(policy.tasksSolved.value, id).toBeCloseTo(solved, 12);
      expect(policy.wrongShipped.value, id).toBeCloseTo(wrong, 12);
      expect(policy.totalCostUsd.value, id).toBeCloseTo(cost, 12);
      // one attempt whatever the verdict: every trial costs the same
      expect(policy.totalCostUsd.low, id).toBeCloseTo(cost, 12);
      expect(policy.totalCostUsd.high, id).toBeCloseTo(cost, 12);
    }
  });

  it('oracle: the same as with a perfect verifier (it needs none)', () => {
    expect(byId(result, 'oracle').totalCostUsd).toEqual({
      value: expect.closeTo(0.37, 12),
      low: null,
      high: null,
    });
  });

  it('the trials spread the configured cost around its expectation, reproducibly for a seed', () => {
    const configured = byId(result, 'configured');
    expect(result.trials).toBe(4000);
    expect(result.seed).toBe(7);
    // Cheapest possible run: every task accepted at its first attempt, 0.05 + 0.06 + 0.08 + 0.10 = 0.29;
    // dearest: every attempt made, 0.30 + 0.35 + 0.46 + 0.60 = 1.71.
    expect(configured.totalCostUsd.low!).toBeGreaterThanOrEqual(0.29);
    expect(configured.totalCostUsd.low!).toBeLessThan(1.059);
    expect(configured.totalCostUsd.high!).toBeGreaterThan(1.059);
    expect(configured.totalCostUsd.high!).toBeLessThanOrEqual(1.71);
    const again = simulatePolicies({
      workflow: workflowWithImplementation(),
      table: handTable(),
      verifier,
      trials: 4000,
      seed: 7,
    });
    expect(again).toEqual(result);
    const other = simulatePolicies({
      workflow: workflowWithImplementation(),
      table: handTable(),
      verifier,
      trials: 4000,
      seed: 8,
    });
    expect(other.policies[0]!.costPerSolvedUsd).not.toEqual(configured.costPerSolvedUsd);
  });

  it('the trials agree with the exact expectation (mean of many draws)', async () => {
    const { sampledTotals } = await import('../../src/policy/replay.js');
    const { seededRandom } = await import('../../src/policy/random.js');
    const plan = {
      id: 'configured',
      label: '',
      attempts: ['model-b', 'model-b', 'model-c'].map((model) => ({ label: model, model })),
    };
    const random = seededRandom(3);
    const table = handTable();
    let cost = 0;
    let solved = 0;
    const trials = 20_000;
    for (let trial = 0; trial < trials; trial += 1) {
      const totals = sampledTotals(plan, table, verifier, random);
      cost += totals.costUsd;
      solved += totals.solved;
    }
    expect(cost / trials).toBeCloseTo(1.059, 2);
    expect(solved / trials).toBeCloseTo(2.632, 1);
  });
});

describe('the configured policy follows the phase', () => {
  it('auto starts on the middle tier, and says so', () => {
    const result = simulatePolicies({
      workflow: workflowWithImplementation({ model: { kind: 'auto' } }),
      table: handTable(),
    });
    expect(result.phase.start).toBe('auto → sonnet');
    expect(result.policies[0]!.attempts).toEqual(['sonnet', 'sonnet', 'opus']);
    expect(result.notes.join('\n')).toContain('`auto` starts on the middle tier');
  });

  it('a ladder that escalates twice from the cheapest tier skips an escalation at the top', () => {
    const result = simulatePolicies({
      workflow: workflowWithImplementation({
        model: { kind: 'tier', tier: 'haiku' },
        escalation: ['escalate', 'escalate', 'escalate', 'retry'],
      }),
      table: handTable(),
    });
    const configured = result.policies[0]!;
    expect(configured.attempts).toEqual(['haiku', 'sonnet', 'opus', 'opus']);
    // task-1 $0.01; task-2 0.02 + 0.06 = 0.08; task-3 0.03 + 0.08 + 0.30 = 0.41;
    // task-4 0.04 + 0.10 + 0.40 + 0.40 = 0.94. Total $1.44, 3 solved.
    expect(configured.totalCostUsd.value).toBeCloseTo(1.44, 12);
    expect(configured.tasksSolved.value).toBe(3);
  });

  it('halt first: one attempt, nothing more', () => {
    const result = simulatePolicies({
      workflow: workflowWithImplementation({ escalation: ['halt', 'escalate'] }),
      table: handTable(),
    });
    expect(result.policies[0]!.attempts).toEqual(['sonnet']);
  });

  it('--phase picks another phase: planning starts on opus', () => {
    const result = simulatePolicies({
      workflow: workflowWithImplementation(),
      table: handTable(),
      phaseId: 'planning',
    });
    expect(result.phase.id).toBe('planning');
    expect(result.policies[0]!.attempts).toEqual(['opus', 'opus']);
  });

  it('a phase naming a model the table does not have is refused', () => {
    const workflow = workflowWithImplementation({ model: { kind: 'model', ref: 'openai:gpt-9' } });
    expect(() => simulatePolicies({ workflow, table: handTable() })).toThrow(
      'phase implementation names model openai:gpt-9, which the outcome table has no results for (its models: model-a, model-b, model-c)',
    );
  });

  it('a workflow without an implementation phase needs --phase', () => {
    const workflow = workflowWithImplementation();
    const withoutImplementation = {
      ...workflow,
      phases: workflow.phases.filter((phase) => phase.id !== 'implementation'),
    };
    expect(() => simulatePolicies({ workflow: withoutImplementation, table: handTable() })).toThrow(
      'the configuration has no implementation phase to stand for the task',
    );
  });

  it('an explicit model of the table outside the ladder: retries only, escalation skipped', () => {
    const workflow = workflowWithImplementation({ model: { kind: 'model', ref: 'openai:model-b' } });
    const result = simulatePolicies({ workflow, table: handTable() });
    expect(result.policies[0]!.attempts).toEqual(['openai:model-b', 'openai:model-b']);
  });
});
