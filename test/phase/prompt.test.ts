import { describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import type { CheckResult } from '../../src/gate/gate.js';
import { FEEDBACK_OUTPUT_CHARS, promptParts, userPrompt } from '../../src/phase/prompt.js';

const agent = builtinAgents.implementation!;

function check(overrides: Partial<CheckResult>): CheckResult {
  return {
    name: 'tests',
    kind: 'command',
    score: 0,
    weight: 1,
    required: true,
    passed: false,
    message: '',
    ...overrides,
  };
}

function retryPrompt(checks: CheckResult[]): string {
  return userPrompt({
    agent,
    task: 'do it',
    workspace: '/w',
    upstream: [],
    deliverables: agent.deliverables,
    feedback: { attempt: 1, score: 0.5, threshold: 0.9, checks },
  });
}

describe('retry feedback', () => {
  it("carries the end of a failed command's output, fenced as data", () => {
    const prompt = retryPrompt([
      check({
        message: '`node --test` exited with 1 (expected 0)',
        evidence: {
          outputTail:
            '✖ a truncated signature fails\n  RangeError: Input buffers must have the same byte length',
        },
      }),
    ]);
    expect(prompt).toContain('- tests (0.00): `node --test` exited with 1 (expected 0)');
    expect(prompt).toMatch(
      /~~~~ output of tests\n✖ a truncated signature fails\n {2}RangeError: Input buffers/,
    );
  });

  it('keeps only the last part of a long output, and nothing of passed or non-command checks', () => {
    const long = `${'early line\n'.repeat(1000)}THE SUMMARY`;
    const prompt = retryPrompt([
      check({ evidence: { outputTail: long } }),
      check({ name: 'lint', passed: true, score: 1, evidence: { outputTail: 'lint output' } }),
      check({ name: 'sections', kind: 'sections', evidence: { outputTail: 'not a command' } }),
    ]);
    const fenced = /~~~~ output of tests\n([\s\S]*?)\n~~~~/.exec(prompt)![1]!;
    expect(fenced.endsWith('THE SUMMARY')).toBe(true);
    expect(fenced.length).toBeLessThanOrEqual(FEEDBACK_OUTPUT_CHARS + 1);
    expect(prompt).not.toContain('lint output');
    expect(prompt).not.toContain('not a command');
  });
});

describe('the opening turn in two parts', () => {
  const base = {
    agent,
    task: 'Move the sessions to tokens.',
    upstream: [{ phaseId: 'planning', handoff: 'Three items.', reportPath: '/r/planning.md' }],
    deliverables: agent.deliverables,
  };

  it('opens every attempt and lane with the same task and handoffs, and puts what differs after them', () => {
    const first = promptParts({ ...base, workspace: '/w' });
    const retry = promptParts({
      ...base,
      workspace: '/w',
      feedback: { attempt: 1, score: 0.5, threshold: 0.9, checks: [check({ message: 'tests failed' })] },
    });
    const lane = promptParts({ ...base, workspace: '/w/lanes/http', part: 'You build item http.' });
    // The shared part is a cacheable prefix only if it is the same text, byte for byte.
    expect(retry.context).toBe(first.context);
    expect(lane.context).toBe(first.context);
    expect(first.context).toContain('Move the sessions to tokens.');
    expect(first.context).toContain('Three items.');
    for (const own of ['/w', 'tests failed', 'You build item http.', '/w/lanes/http'])
      expect(first.context).not.toContain(own);
    expect(retry.instructions).toContain('tests failed');
    expect(lane.instructions).toBe('The workspace is /w/lanes/http.\n\nYou build item http.');
    expect(userPrompt({ ...base, workspace: '/w' })).toBe(`${first.context}\n\n${first.instructions}`);
  });
});
