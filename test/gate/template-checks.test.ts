/**
 * The general check features the workflow templates rely on: a command that must fail, a diff that may not
 * touch some paths and must touch others, a report that must state given things (`matches`), and findings that
 * must carry their location and evidence (`must_have`).
 */
import { describe, expect, it } from 'vitest';
import { checkDiff } from '../../src/gate/check-diff.js';
import { checkFindings } from '../../src/gate/check-findings.js';
import { checkMatches } from '../../src/gate/check-matches.js';
import { evaluateGate } from '../../src/gate/gate.js';
import { check, gateInput, gateServices, tempWorkspace } from './gate-fixtures.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const TESTS = ['test/**', '**/*.test.*'];

async function mustFail(command: string, timeoutMs = 10_000) {
  const gate = {
    threshold: 1,
    checks: [check('command', { command, timeoutMs, expectExit: 0, expectFailure: true })],
  };
  const result = await evaluateGate(gate, gateInput({ workspace: tempWorkspace({}) }), gateServices({ env }));
  return result.checks[0]!;
}

describe('command with expect_failure', () => {
  it('passes on any non-zero exit and fails on success, saying why', async () => {
    expect(await mustFail('exit 1')).toMatchObject({
      score: 1,
      message: '`exit 1` failed as expected (exit 1)',
    });
    expect((await mustFail('exit 7')).score).toBe(1);
    const passed = await mustFail('exit 0');
    expect(passed).toMatchObject({ score: 0 });
    expect(passed.message).toContain('expected it to fail');
    expect(passed.evidence).toMatchObject({ expectedExit: 'non-zero' });
  });

  it('never counts a timeout as the expected failure', async () => {
    expect((await mustFail('sleep 5', 300)).score).toBe(0);
  });
});

describe('diff with forbidden_paths and must_change', () => {
  it('fails when a forbidden path changed, naming it', () => {
    const result = checkDiff(['src/a.js', 'test/a.test.js'], { expect: 'changed', forbiddenPaths: TESTS });
    expect(result).toMatchObject({ score: 0, evidence: { forbiddenChanged: ['test/a.test.js'] } });
    expect(result.message).toBe('changed forbidden paths (test/**, **/*.test.*): test/a.test.js');
    expect(checkDiff(['src/a.js'], { expect: 'changed', forbiddenPaths: TESTS }).score).toBe(1);
  });

  it('fails when nothing matching must_change changed', () => {
    expect(checkDiff(['src/a.js'], { expect: 'changed', mustChange: TESTS })).toMatchObject({
      score: 0,
      message: 'changed nothing matching test/**, **/*.test.*',
    });
    expect(checkDiff(['src/a.js', 'lib/b.test.ts'], { expect: 'changed', mustChange: TESTS }).score).toBe(1);
  });

  it('reports every broken rule at once', () => {
    const result = checkDiff(['src/a.js'], { expect: 'changed', allowedPaths: TESTS, mustChange: TESTS });
    expect(result.message).toBe(
      'changed outside the allowed paths (test/**, **/*.test.*): src/a.js; changed nothing matching test/**, **/*.test.*',
    );
  });
});

describe('matches', () => {
  const figures = ['^\\W*before\\W*:\\W*[-+]?\\d', '^\\W*after\\W*:\\W*[-+]?\\d'];

  it('scores the share of patterns the report matches, case-insensitive, per line', () => {
    expect(checkMatches('## Figures\n**Before:** 120 ms\n- after: 80 ms', figures)).toMatchObject({
      score: 1,
    });
    const half = checkMatches('## Figures\nBefore: 120 ms\nAfter: faster', figures);
    expect(half).toMatchObject({ score: 0.5, evidence: { missing: [figures[1]] } });
    expect(half.message).toContain('does not state');
    expect(checkMatches('Before it was slow: 1', figures).score).toBe(0);
  });
});

describe('findings with must_have', () => {
  const block = (entries: unknown[]) => `## Findings\n\`\`\`json\n${JSON.stringify(entries)}\n\`\`\``;

  it('passes findings that carry every part, and fails naming the incomplete ones', () => {
    const complete = {
      severity: 'high',
      file: 'src/a.js',
      line: 3,
      issue: 'sql injection',
      evidence: "q = '...' + id",
    };
    const parts = ['location', 'line', 'evidence'] as const;
    expect(checkFindings(block([complete]), {}, parts)).toMatchObject({ score: 1 });
    expect(checkFindings(block([]), {}, parts)).toMatchObject({ score: 1 });
    const result = checkFindings(block([complete, { severity: 'low', issue: 'weak hash' }]), {}, parts);
    expect(result).toMatchObject({
      score: 0,
      message: 'incomplete findings: finding 2 has no location, line, evidence',
    });
  });

  it('asks nothing more by default', () => {
    expect(checkFindings(block([{ severity: 'low', issue: 'weak hash' }]), {})).toMatchObject({ score: 1 });
  });
});
