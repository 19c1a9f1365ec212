/** `phasewise policy simulate` as users run it: the built CLI on real files, its output and exit codes. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

const handOutcomes = join(import.meta.dirname, '..', 'fixtures', 'policy', 'hand-outcomes.json');
const scratch = () => mkdtempSync(join(tmpdir(), 'phasewise-policy-'));

function simulate(args: string[], cwd = scratch()) {
  return cli(['policy', 'simulate', '--outcomes', handOutcomes, ...args], { cwd });
}

/** A configuration whose implementation starts on sonnet with retry → escalate → halt: the hand-computed ladder. */
function sonnetLadderDir(): string {
  const dir = scratch();
  writeFileSync(
    join(dir, 'phasewise.yaml'),
    [
      'version: 1',
      'phases:',
      '  research: {}',
      '  planning: { depends_on: [research] }',
      '  implementation: { depends_on: [planning], model: sonnet, escalation: [retry, escalate, halt] }',
      '  review: { depends_on: [implementation] }',
      '  verification: { depends_on: [review] }',
      '',
    ].join('\n'),
  );
  return dir;
}

function expectRefusal(result: ReturnType<typeof cli>, message: string | RegExp) {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).toMatch(message);
}

function policies(
  stdout: string,
): Record<string, { totalCostUsd: { value: number }; tasksSolved: { value: number } }> {
  return Object.fromEntries(JSON.parse(stdout).policies.map((policy: { id: string }) => [policy.id, policy]));
}

describe('phasewise policy simulate', () => {
  it('prints the table of policies on the built-in workflow and says how the ladder was applied (exit 0)', () => {
    const result = simulate([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'workflow: built-in; phase implementation starts on haiku, then escalate → escalate → halt',
    );
    expect(result.stdout).toContain(
      'tiers (by tier_rank): haiku = model-a (tier_rank 1), sonnet = model-b (tier_rank 2)',
    );
    // task-1 0.01; task-2 0.02 + 0.06; task-3 0.03 + 0.08 + 0.30; task-4 0.04 + 0.10 + 0.40 (unsolved):
    // $1.04 for 3 solved, $0.3467 each, 1.04 / 1.15 = 90 % of all-top.
    expect(result.stdout).toMatch(
      /configured \(implementation\)\s+haiku→sonnet→opus\s+3\s+75 % \(30 %–95 %\)\s+\$1\.04\s+\$0\.3467\s+90 %/,
    );
    const sonnet = cli(['policy', 'simulate', '--outcomes', handOutcomes], { cwd: sonnetLadderDir() });
    expect(sonnet.stdout).toMatch(
      /configured \(implementation\)\s+sonnet→sonnet→opus\s+3\s+75 % \(30 %–95 %\)\s+\$1\.17\s+\$0\.39\s+102 %/,
    );
    expect(result.stdout).toMatch(/all-top \(opus\)\s+opus\s+3\s+75 %.*\$1\.15/);
    expect(result.stdout).toMatch(/oracle \(bound\)\s+\(knows the answer\)\s+3\s+75 %.*\$0\.37/);
    expect(result.stdout).toContain('is applied to each task as a whole');
    expect(result.stdout).toContain('only the verifier draws a new verdict');
  });

  it('--json: the stable shape, numbers to six decimals, the hand-computed expectations', () => {
    const dir = sonnetLadderDir();
    const result = simulate(
      ['--false-pass', '0.1', '--false-fail', '0.2', '--trials', '500', '--seed', '3', '--json'],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual([
      'outcomes',
      'workflow',
      'tasks',
      'source',
      'mapping',
      'phase',
      'verifier',
      'trials',
      'seed',
      'notes',
      'policies',
    ]);
    expect(report.verifier).toEqual({
      falsePassRate: 0.1,
      falseFailRate: 0.2,
      perfect: false,
      source: ['--false-pass / --false-fail (a rate not given is 0)'],
    });
    expect([report.trials, report.seed]).toEqual([500, 3]);
    expect(Object.keys(report.policies[0])).toEqual([
      'id',
      'label',
      'kind',
      'attempts',
      'tasksSolved',
      'solvedRate',
      'totalCostUsd',
      'costPerSolvedUsd',
      'costVsAllTop',
      'wrongShipped',
      'wrongShippedRate',
      'attemptsPerTask',
    ]);
    // worked out in test/policy/simulate.test.ts: cost 1.059, solved 2.632, wrong shipped 0.461
    const configured = report.policies[0];
    expect(configured.totalCostUsd.value).toBe(1.059);
    expect(configured.tasksSolved.value).toBe(2.632);
    expect(configured.wrongShipped.value).toBe(0.461);
    expect(configured.totalCostUsd.low).toBeLessThan(1.059);
    const again = simulate(
      ['--false-pass', '0.1', '--false-fail', '0.2', '--trials', '500', '--seed', '3', '--json'],
      dir,
    );
    expect(again.stdout).toBe(result.stdout);
  });

  it('--map pairs tiers with models as given', () => {
    const result = simulate(['--map', 'haiku=model-c,sonnet=model-b,opus=model-a', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const byId = policies(result.stdout);
    expect(JSON.parse(result.stdout).mapping.how).toBe('map');
    // all-top is now model-a: solves task-1 only, 0.01 + 0.02 + 0.03 + 0.04
    expect(byId['all-top']!.tasksSolved.value).toBe(1);
    expect(byId['all-top']!.totalCostUsd.value).toBe(0.1);
    expect(byId['all-cheapest']!.totalCostUsd.value).toBe(1.15);
  });

  it('uses a configuration: its tiers, its phase, tier models found by name', () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'phasewise.yaml'),
      [
        'version: 1',
        'models:',
        '  tiers: [small, large]',
        '  small: openai:model-a',
        '  large: openai:model-c',
        'phases:',
        '  build:',
        '    agent: implementation',
        '    model: small',
        '    escalation: [escalate, halt]',
        '',
      ].join('\n'),
    );
    const result = simulate(['-c', 'phasewise.yaml', '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.mapping.how).toBe('name');
    expect(report.phase).toEqual({ id: 'build', start: 'small', ladder: ['escalate', 'halt'] });
    // haiku-like model-a, then model-c: task-1 $0.01; task-2 0.02 + 0.25; task-3 0.03 + 0.30; task-4 0.04 + 0.40
    expect(report.policies[0].totalCostUsd.value).toBe(1.05);
    expect(report.policies[0].tasksSolved.value).toBe(3);
    expect(report.policies.map((policy: { id: string }) => policy.id)).toEqual([
      'configured',
      'all-cheapest',
      'all-top',
      'oracle',
    ]);
  });

  it('--gate-from: the eval’s overall rates, a null rate as 0 and said so; a flag wins', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'eval-out'));
    const figures = (falsePass: number | null, falseFail: number | null, hiddenFailed: number) => ({
      false_pass_rate: falsePass,
      false_fail_rate: falseFail,
      hidden_failed: hiddenFailed,
      false_passes: falsePass === null ? 0 : 1,
      hidden_passed: 4,
      false_fails: 1,
    });
    writeFileSync(
      join(dir, 'eval-out', 'gate-accuracy.json'),
      JSON.stringify({
        version: 1,
        source: ['phasewise eval tasks at 2026-12-05T07:00:00Z'],
        overall: figures(null, 0.25, 0),
        roles: { implementation: figures(null, 0.25, 0) },
        check_kinds: {},
      }),
    );
    const fromFile = simulate(['--gate-from', 'eval-out', '--json'], dir);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const verifier = JSON.parse(fromFile.stdout).verifier;
    expect([verifier.falsePassRate, verifier.falseFailRate]).toEqual([0, 0.25]);
    expect(verifier.source.join('\n')).toContain('false-pass 0: ');
    expect(verifier.source.join('\n')).toContain('has none (hidden_failed is 0), so 0 is assumed');
    const text = simulate(['--gate-from', 'eval-out'], dir);
    expect(text.stdout).toContain('so 0 is assumed');
    const flagWins = simulate(
      ['--gate-from', 'eval-out', '--false-fail', '0', '--false-pass', '0.5', '--json'],
      dir,
    );
    const overridden = JSON.parse(flagWins.stdout).verifier;
    expect([overridden.falsePassRate, overridden.falseFailRate]).toEqual([0.5, 0]);
    expect(overridden.source.join('\n')).toContain('from --false-fail');
    expectRefusal(
      simulate(['--gate-from', 'missing'], dir),
      /gate-accuracy file .*missing\/gate-accuracy\.json does not exist/,
    );
    writeFileSync(join(dir, 'eval-out', 'gate-accuracy.json'), '{"version": 1, "overall": {}}');
    expectRefusal(simulate(['--gate-from', 'eval-out'], dir), /overall\.false_pass_rate: /);
  });

  it('refuses a bad table with the path of the bad field (exit 2, no stack)', () => {
    const dir = scratch();
    const table = JSON.parse(readFileSync(handOutcomes, 'utf8'));
    table.tasks[3].results['model-b'].cost_usd = -1;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(table));
    const result = cli(['policy', 'simulate', '--outcomes', 'bad.json'], { cwd: dir });
    expectRefusal(
      result,
      /bad\.json: tasks\[3\]\.results\.model-b\.cost_usd: must not be negative: a cost in USD, got -1/,
    );
    expect(result.stderr).toContain('hint: the format is in docs/policy.md');
    expectRefusal(
      cli(['policy', 'simulate', '--outcomes', 'nope.json'], { cwd: dir }),
      /outcome table .*nope\.json does not exist/,
    );
  });

  it('refuses bad command lines (exit 2)', () => {
    expectRefusal(
      cli(['policy', 'simulate'], { cwd: scratch() }),
      /required option '--outcomes <file>' not specified/,
    );
    expectRefusal(
      simulate(['--map', 'haiku=model-a,sonnet=model-b,opus=gpt-9']),
      /--map opus=gpt-9: the outcome table has no model gpt-9/,
    );
    expectRefusal(
      simulate(['--false-pass', '1.5']),
      /--false-pass must be a rate from 0 to 1 \(e\.g\. 0\.1\), got "1\.5"/,
    );
    expectRefusal(simulate(['--trials', '0']), /--trials must be a whole number from 1 to 1000000/);
    expectRefusal(simulate(['--seed', '-1']), /--seed/);
    expectRefusal(simulate(['--false-fail', '0.1', '--false-fail', '0.2']), /--false-fail was given twice/);
    expectRefusal(simulate(['--phase', 'deploy']), /--phase deploy: the configuration has no such phase/);
  });

  it('refuses a configuration whose model the table does not have (exit 2)', () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'phasewise.yaml'),
      'version: 1\nmodels:\n  tiers: [small, large]\n  small: openai:model-a\n  large: openai:gpt-9\n',
    );
    expectRefusal(
      simulate([], dir),
      /tier large of the configuration uses openai:gpt-9, which the outcome table has no results for/,
    );
  });

  it('has --help with examples', () => {
    const result = cli(['policy', 'simulate', '--help'], { cwd: scratch() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('phasewise policy simulate');
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('--gate-from <dir>');
  });
});
