import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessComplexity,
  COMPLEXITY_RULES_VERSION,
  type ComplexityAssessment,
  type ComplexityInput,
  FULL_SCALE_POINTS,
  isMisroute,
} from '../../src/phase/complexity.js';
import { REASONING_TERMS, RISK_TERMS } from '../../src/phase/complexity-terms.js';

const THREE = ['haiku', 'sonnet', 'opus'] as const;
const TYPO = "Fix the typo in README: 'recieve' should be 'receive'";
const CRITICAL = 'design a zero-downtime migration of payment auth across regions';
const ROLES = ['research', 'planning', 'implementation', 'review', 'verification'] as const;

const base: ComplexityInput = {
  task: TYPO,
  phaseId: 'implementation',
  agent: 'implementation',
  workspaceFileCount: 40,
  earlierFailures: 0,
  tiers: THREE,
};

function assess(overrides: Partial<ComplexityInput>): ComplexityAssessment {
  return assessComplexity({ ...base, ...overrides });
}

function pointsOf(assessment: ComplexityAssessment, name: string): number {
  return assessment.signals.find((signal) => signal.name === name)!.points;
}

/** One spelling per term, so every generated risk word is known to match. */
const RISK_WORDS = [
  'production',
  'payments',
  'OAuth',
  'credentials',
  'data loss',
  'migration',
  'breaking change',
  'GDPR',
  'PII',
  'customer-facing',
  'zero-downtime',
  'XSS',
  'mission-critical',
];
const PLAIN_WORDS = ['add', 'a', 'flag', 'to', 'the', 'cli', 'button', 'rename', 'tests', 'docs', 'typo'];
const taskArbitrary = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc
    .array(fc.constantFrom(...PLAIN_WORDS, ...RISK_WORDS, 'design', 'refactor', 'latency', 'sharded'), {
      maxLength: 40,
    })
    .map((words) => words.join(' ')),
);
const inputArbitrary = fc.record({
  task: taskArbitrary,
  phaseId: fc.constantFrom(...ROLES, 'docs'),
  agent: fc.constantFrom(...ROLES, 'custom-agent'),
  workspaceFileCount: fc.nat(20_000),
  earlierFailures: fc.nat(6),
  tiers: fc.constantFrom<readonly string[]>(['only'], ['cheap', 'dear'], THREE, [
    't0',
    't1',
    't2',
    't3',
    't4',
  ]),
});

describe('assessComplexity: table of tasks', () => {
  const cases: { name: string; input: Partial<ComplexityInput>; tier: string }[] = [
    { name: 'a typo fix', input: {}, tier: 'haiku' },
    {
      name: 'a typo fix in planning on a huge repository',
      input: { agent: 'planning', workspaceFileCount: 50_000 },
      tier: 'haiku',
    },
    {
      name: 'a small feature',
      input: { task: 'Add a --verbose flag to the CLI that prints each step' },
      tier: 'haiku',
    },
    {
      name: 'a refactor for performance',
      input: { task: 'Refactor the caching layer to improve performance' },
      tier: 'sonnet',
    },
    {
      name: 'login on a public API',
      input: { task: 'Add rate limiting to the public API login endpoint' },
      tier: 'sonnet',
    },
    { name: 'a typo fix after two failures', input: { earlierFailures: 2 }, tier: 'sonnet' },
    { name: 'the critical migration', input: { task: CRITICAL }, tier: 'opus' },
    {
      name: 'the critical migration, even in research',
      input: { task: CRITICAL, agent: 'research', phaseId: 'research' },
      tier: 'opus',
    },
    {
      name: 'the critical migration in a tiny workspace',
      input: { task: CRITICAL, workspaceFileCount: 0 },
      tier: 'opus',
    },
    {
      name: 'a production security fix in a big repository',
      input: {
        task: 'Patch the SQL injection in production checkout; keep it secure',
        workspaceFileCount: 3000,
      },
      tier: 'opus',
    },
  ];
  it.each(cases)('$name → $tier', ({ input, tier }) => {
    const assessment = assess(input);
    expect(assessment.tier).toBe(tier);
    expect(assessment.tierIndex).toBe(THREE.indexOf(tier as (typeof THREE)[number]));
  });

  it('records every signal with its points and reason', () => {
    const assessment = assess({ task: CRITICAL });
    expect(assessment.version).toBe(COMPLEXITY_RULES_VERSION);
    expect(assessment.signals.map((signal) => signal.name)).toEqual([
      'task-length',
      'reasoning-depth',
      'impact-risk',
      'workspace-size',
      'phase-kind',
      'earlier-failures',
    ]);
    expect(assessment.signals[1]).toMatchObject({ value: 3, points: 3 });
    expect(assessment.signals[1]!.why).toContain('design, migrate, distributed');
    expect(assessment.signals[2]).toMatchObject({ value: 4, points: 4.5 });
    expect(assessment.signals[2]!.why).toContain('payment, auth, migration, downtime');
    expect(assessment.score).toBe(7.5 / FULL_SCALE_POINTS);
    for (const signal of assessment.signals) expect(signal.why).toMatch(/: [+-]\d/);
  });

  it('leans by phase kind, taking a custom agent’s role from its phase id', () => {
    const task = 'Refactor the caching layer to improve performance';
    const lean = (agent: string, phaseId = agent) => pointsOf(assess({ task, agent, phaseId }), 'phase-kind');
    expect(ROLES.map((role) => lean(role))).toEqual([-1, 1, 0, 0.5, -1]);
    expect(lean('security-auditor', 'review')).toBe(0.5);
    expect(lean('security-auditor', 'audit')).toBe(0);
    expect(assess({ task, agent: 'planning' }).score).toBeGreaterThan(
      assess({ task, agent: 'research' }).score,
    );
  });

  it('counts a repeated term once and ignores near-misses', () => {
    expect(pointsOf(assess({ task: 'payment payment payments PAYMENT' }), 'impact-risk')).toBe(1.5);
    expect(
      pointsOf(assess({ task: 'the author wrote a scaled-down scalar production' }), 'impact-risk'),
    ).toBe(1.5);
    expect(pointsOf(assess({ task: 'the author, a producer, designated it' }), 'reasoning-depth')).toBe(0);
  });

  it('treats nonsense counts as zero', () => {
    const nonsense = assess({ workspaceFileCount: Number.NaN, earlierFailures: -3 });
    expect(pointsOf(nonsense, 'workspace-size')).toBe(0);
    expect(pointsOf(nonsense, 'earlier-failures')).toBe(0);
    expect(pointsOf(assess({ earlierFailures: 2.9 }), 'earlier-failures')).toBe(3);
  });

  it('every term list entry matches its own name', () => {
    for (const { term, pattern } of [...REASONING_TERMS, ...RISK_TERMS])
      expect(pattern.test(term), term).toBe(true);
  });
});

describe('assessComplexity: tier lists', () => {
  it('always picks the only tier of a one-tier list', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        expect(assessComplexity({ ...input, tiers: ['only'] })).toMatchObject({ tierIndex: 0, tier: 'only' });
      }),
    );
  });

  it.each([
    { tiers: ['cheap', 'dear'], typo: 'cheap', critical: 'dear' },
    { tiers: [...THREE], typo: 'haiku', critical: 'opus' },
    { tiers: ['t0', 't1', 't2', 't3', 't4'], typo: 't0', critical: 't4' },
  ])(
    'puts a typo on the cheapest and the critical task on the top of $tiers',
    ({ tiers, typo, critical }) => {
      expect(assess({ tiers }).tier).toBe(typo);
      expect(assess({ tiers, task: CRITICAL }).tier).toBe(critical);
    },
  );

  it('splits the score into equal bands', () => {
    const five = ['t0', 't1', 't2', 't3', 't4'];
    // Earlier failures add 1.5 points each: 0, 1.5, 3, 4.5, 6, 7.5 points → 0, .1875, .375, .5625, .75, .9375.
    const tiers = [0, 1, 2, 3, 4, 5].map(
      (earlierFailures) => assess({ tiers: five, earlierFailures }).tierIndex,
    );
    expect(tiers).toEqual([0, 0, 1, 2, 3, 4]);
    expect(assess({ earlierFailures: 100 })).toMatchObject({ score: 1, tier: 'opus' });
  });

  it('refuses an empty tier list', () => {
    expect(() => assess({ tiers: [] })).toThrow(RangeError);
  });

  it('keeps the score in [0, 1] and the tier on the list (property)', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const assessment = assessComplexity(input);
        expect(assessment.score).toBeGreaterThanOrEqual(0);
        expect(assessment.score).toBeLessThanOrEqual(1);
        expect(assessment.tier).toBe(input.tiers[assessment.tierIndex]);
        const points = assessment.signals.reduce((sum, signal) => sum + signal.points, 0);
        expect(assessment.score).toBe(Math.min(1, Math.max(0, points / FULL_SCALE_POINTS)));
      }),
    );
  });
});

describe('assessComplexity: monotonicity and determinism (properties)', () => {
  it('adding a risk word never lowers the tier, wherever it goes', () => {
    fc.assert(
      fc.property(inputArbitrary, fc.constantFrom(...RISK_WORDS), fc.boolean(), (input, word, atEnd) => {
        const task = atEnd ? `${input.task} ${word}` : `${word} ${input.task}`;
        const before = assessComplexity(input);
        const after = assessComplexity({ ...input, task });
        expect(after.tierIndex).toBeGreaterThanOrEqual(before.tierIndex);
        expect(after.score).toBeGreaterThanOrEqual(before.score);
      }),
    );
  });

  it('an earlier failure never lowers the tier, and below the cap always raises the score', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const before = assessComplexity(input);
        const after = assessComplexity({ ...input, earlierFailures: input.earlierFailures + 1 });
        expect(after.tierIndex).toBeGreaterThanOrEqual(before.tierIndex);
        if (before.score < 1 && before.score > 0) expect(after.score).toBeGreaterThan(before.score);
      }),
    );
  });

  it('a longer task never lowers the score', () => {
    fc.assert(
      fc.property(inputArbitrary, taskArbitrary, fc.boolean(), (input, extra, atEnd) => {
        const task = atEnd ? `${input.task} ${extra}` : `${extra} ${input.task}`;
        expect(assessComplexity({ ...input, task }).score).toBeGreaterThanOrEqual(
          assessComplexity(input).score,
        );
      }),
    );
  });

  it('a bigger workspace never lowers the score', () => {
    fc.assert(
      fc.property(inputArbitrary, fc.nat(100_000), (input, more) => {
        const bigger = { ...input, workspaceFileCount: input.workspaceFileCount + more };
        expect(assessComplexity(bigger).score).toBeGreaterThanOrEqual(assessComplexity(input).score);
      }),
    );
  });

  it('gives the same assessment for the same input and leaves the input alone', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const frozen = Object.freeze({ ...input, tiers: Object.freeze([...input.tiers]) });
        const first = assessComplexity(frozen);
        expect(assessComplexity(structuredClone(input))).toEqual(first);
        expect(assessComplexity(frozen)).toEqual(first);
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      }),
    );
  });
});

describe('isMisroute', () => {
  const chosen = (tierIndex: number): ComplexityAssessment => ({
    ...assess({}),
    tierIndex,
    tier: THREE[tierIndex]!,
  });
  const cases: {
    name: string;
    tierIndex: number;
    escalated: boolean;
    passedTierIndex: number | null;
    expected: 'under' | 'over' | null;
  }[] = [
    { name: 'passed on the chosen tier', tierIndex: 1, escalated: false, passedTierIndex: 1, expected: null },
    {
      name: 'escalated, then passed higher',
      tierIndex: 0,
      escalated: true,
      passedTierIndex: 1,
      expected: 'under',
    },
    {
      name: 'escalated and never passed',
      tierIndex: 0,
      escalated: true,
      passedTierIndex: null,
      expected: 'under',
    },
    {
      name: 'passed higher without an escalation flag',
      tierIndex: 0,
      escalated: false,
      passedTierIndex: 2,
      expected: 'under',
    },
    {
      name: 'passed on a cheaper tier',
      tierIndex: 2,
      escalated: false,
      passedTierIndex: 0,
      expected: 'over',
    },
    {
      name: 'escalated wins over cheaper',
      tierIndex: 2,
      escalated: true,
      passedTierIndex: 0,
      expected: 'under',
    },
    {
      name: 'never passed, never escalated',
      tierIndex: 1,
      escalated: false,
      passedTierIndex: null,
      expected: null,
    },
    {
      name: 'passed on a model outside the ladder',
      tierIndex: 1,
      escalated: false,
      passedTierIndex: -1,
      expected: null,
    },
  ];
  it.each(cases)('$name → $expected', ({ tierIndex, escalated, passedTierIndex, expected }) => {
    expect(isMisroute(chosen(tierIndex), { escalated, passedTierIndex })).toBe(expected);
  });
});
