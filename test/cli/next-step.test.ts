import { describe, expect, it } from 'vitest';
import { nextStep } from '../../src/cli/next-step.js';

describe('the next step shown for a stopped run', () => {
  it.each([
    ['halted', /^answer with: phasewise approve r1 .* abort r1$/],
    ['interrupted', /^resume with: phasewise resume r1$/],
    ['failed', /^resume with: phasewise resume r1$/],
    ['budget_exceeded', /^resume with: phasewise resume r1$/],
    ['timed_out', /^resume with: phasewise resume r1$/],
  ])('%s: %s', (status, expected) => {
    expect(nextStep(status, 'r1')).toMatch(expected);
  });

  it.each(['succeeded', 'aborted', 'no_go', 'running'])('%s: nothing to do', (status) => {
    expect(nextStep(status, 'r1')).toBeUndefined();
  });
});
