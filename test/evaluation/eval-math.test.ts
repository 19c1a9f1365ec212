/** The arithmetic of an eval's outputs, against values computed by hand. */
import { describe, expect, it } from 'vitest';
import { builtinWorkflow } from '../../src/config/index.js';
import type { ResolvedWorkflow } from '../../src/config/types.js';
import {
  accuracyOf,
  gateAccuracy,
  meanInterval,
  outcomeTable,
  parsePolicyList,
  wilsonInterval,
} from '../../src/evaluation/index.js';
import type { RunRecord } from '../../src/evaluation/run-record.js';

function record(overrides: Partial<RunRecord>): RunRecord {
  return {
    version: 1,
    key: 'k',
    task: 't1',
    policy: 'default',
    tier: null,
    model: null,
    repeat: 1,
    runId: 'r',
    status: 'succeeded',
    exitCode: 0,
    solved: true,
    hiddenCheck: { ending: 'exited', exitCode: 0, durationMs: 1 },
    costUsd: 0,
    durationMs: 0,
    worktree: '/w',
    phases: [],
    ...overrides,
  };
}

describe('gate accuracy', () => {
  it('conditions false passes on a failed hidden check and false fails on a passed one', () => {
    const observations = [
      { gatePassed: true, hiddenPassed: false },
      { gatePassed: false, hiddenPassed: false },
      { gatePassed: false, hiddenPassed: false },
      { gatePassed: true, hiddenPassed: true },
      { gatePassed: false, hiddenPassed: true },
    ];
    expect(accuracyOf(observations)).toEqual({
      false_pass_rate: 1 / 3,
      false_fail_rate: 1 / 2,
      hidden_failed: 3,
      false_passes: 1,
      hidden_passed: 2,
      false_fails: 1,
    });
  });

  it('gives null rates when nothing conditions them', () => {
    expect(accuracyOf([{ gatePassed: true, hiddenPassed: true }])).toMatchObject({
      false_pass_rate: null,
      false_fail_rate: 0,
    });
    expect(accuracyOf([])).toMatchObject({ false_pass_rate: null, false_fail_rate: null });
  });

  it('groups every phase by role and every check by kind, beside its run’s hidden check', () => {
    const phase = (role: string, gatePassed: boolean, checks: Array<[string, boolean]>) => ({
      phaseId: role,
      role,
      gatePassed,
      checks: checks.map(([kind, passed]) => ({ name: kind, kind, passed })),
    });
    const file = gateAccuracy(
      [
        record({
          solved: false,
          phases: [
            phase('implementation', true, [['command', true]]),
            phase('verification', false, [['command', false]]),
          ],
        }),
        record({
          solved: true,
          phases: [
            phase('implementation', false, [
              ['command', false],
              ['sections', true],
            ]),
          ],
        }),
      ],
      ['test'],
    );
    expect(file.version).toBe(1);
    expect(file.overall).toMatchObject({
      hidden_failed: 2,
      false_passes: 1,
      hidden_passed: 1,
      false_fails: 1,
    });
    expect(file.roles.implementation).toMatchObject({ false_pass_rate: 1, false_fail_rate: 1 });
    expect(file.roles.verification).toMatchObject({ false_pass_rate: 0, false_fail_rate: null });
    expect(file.check_kinds.command).toMatchObject({
      hidden_failed: 2,
      false_passes: 1,
      hidden_passed: 1,
      false_fails: 1,
    });
    expect(file.check_kinds.sections).toMatchObject({
      hidden_failed: 0,
      false_pass_rate: null,
      false_fail_rate: 0,
    });
  });
});

describe('intervals', () => {
  it('Wilson: 4 of 6 is 30.0 % – 90.3 %, 0 of 10 is 0 – 27.8 %, none of none has no interval', () => {
    const four = wilsonInterval(4, 6)!;
    expect(four.low).toBeCloseTo(0.3, 3);
    expect(four.high).toBeCloseTo(0.9032, 3);
    const none = wilsonInterval(0, 10)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('t: 1, 2, 3 is 2 ± 4.303 / √3; one value has a mean and no interval', () => {
    const estimate = meanInterval([1, 2, 3])!;
    expect(estimate.mean).toBe(2);
    expect(estimate.interval!.low).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 6);
    expect(estimate.interval!.high).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 6);
    expect(meanInterval([5])).toEqual({ mean: 5, interval: null });
    expect(meanInterval([])).toBeNull();
  });
});

describe('outcome table', () => {
  it('lists the pinned tiers’ models by tier order; resolved by majority (a tie is not), cost the mean', () => {
    const records = [
      record({ task: 't1', policy: 'all-large', tier: 'large', model: 'p:big', solved: true, costUsd: 0.3 }),
      record({ task: 't1', policy: 'all-large', tier: 'large', model: 'p:big', solved: false, costUsd: 0.1 }),
      record({
        task: 't1',
        policy: 'all-small',
        tier: 'small',
        model: 'p:tiny',
        solved: true,
        costUsd: 0.01,
      }),
      record({
        task: 't1',
        policy: 'all-small',
        tier: 'small',
        model: 'p:tiny',
        solved: true,
        costUsd: 0.03,
      }),
      record({ task: 't1', policy: 'default', solved: false, costUsd: 9 }),
      // t2 has no run on the large tier: left out, so the table stays complete.
      record({
        task: 't2',
        policy: 'all-small',
        tier: 'small',
        model: 'p:tiny',
        solved: true,
        costUsd: 0.02,
      }),
    ];
    const table = outcomeTable(records, ['small', 'mid', 'large'], ['t1', 't2'], ['src']);
    expect(table.models).toEqual([
      { id: 'p:tiny', tier_rank: 1, tier: 'small' },
      { id: 'p:big', tier_rank: 2, tier: 'large' },
    ]);
    expect(table.tasks).toHaveLength(1);
    expect(table.tasks[0]!.results['p:big']).toMatchObject({
      resolved: false,
      repeats: 2,
      solved_repeats: 1,
    });
    expect(table.tasks[0]!.results['p:big']!.cost_usd).toBeCloseTo(0.2, 10);
    expect(table.tasks[0]!.results['p:tiny']).toMatchObject({ resolved: true, cost_usd: 0.02 });
  });
});

describe('policies', () => {
  const workflow: ResolvedWorkflow = builtinWorkflow('/tmp');
  it('pins every phase on one tier and never escalates; default is the workflow as it is', () => {
    const [base, top, cheapest] = parsePolicyList(workflow, 'default,all-top,all-cheapest');
    expect(base!.workflow).toBe(workflow);
    const topTier = workflow.tiers.at(-1)!;
    expect(top!.tier).toBe(topTier);
    for (const phase of top!.workflow.phases) {
      expect(phase.model).toEqual({ kind: 'tier', tier: topTier });
      expect(phase.escalation).not.toContain('escalate');
    }
    expect(cheapest!.tier).toBe(workflow.tiers[0]);
    expect(parsePolicyList(workflow, undefined).map((policy) => policy.name)).toEqual([
      'default',
      ...workflow.tiers.map((tier) => `all-${tier}`),
    ]);
  });

  it('refuses an unknown or repeated policy, naming the known ones', () => {
    expect(() => parsePolicyList(workflow, 'default,all-best')).toThrow(/unknown policy "all-best"/);
    expect(() => parsePolicyList(workflow, 'default,default')).toThrow(/names "default" twice/);
  });
});
