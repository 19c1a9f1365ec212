import { describe, expect, it } from 'vitest';
import { issueAt, lines, rejectionOf, where } from './config-files.js';

/** A phase `research:` with the given lines under it, starting on line 3 of the file. */
function researchPhase(...rows: string[]): string {
  return lines('version: 1', 'phases:', '  research:', ...rows.map((row) => `    ${row}`));
}

describe('phase fields', () => {
  it('points an unknown key at the key and suggests the close one', () => {
    const { error } = rejectionOf(researchPhase('quality_gat: { threshold: 0.8 }'));
    const issue = issueAt(error, 'phases.research.quality_gat');
    expect(where(issue)).toBe('phasewise.yaml:4:5');
    expect(issue).toMatchObject({
      message: 'unknown key `quality_gat`',
      hint: 'did you mean `quality_gate`?',
    });
  });

  it('points an unknown key inside quality_gate at that key', () => {
    const { error } = rejectionOf(researchPhase('quality_gate:', '  treshold: 0.8'));
    const issue = issueAt(error, 'phases.research.quality_gate.treshold');
    expect(where(issue)).toBe('phasewise.yaml:5:7');
    expect(issue.hint).toBe('did you mean `threshold`?');
  });

  it.each([
    ['cost_limit: -0.05', 'phases.research.cost_limit', 17, 'an amount cannot be negative (got -0.05)'],
    [
      'cost_limit: $-1',
      'phases.research.cost_limit',
      17,
      '"$-1" is not an amount in USD; write e.g. 0.05 or "$0.05"',
    ],
    ['cost_limit: 0', 'phases.research.cost_limit', 17, 'must be greater than zero'],
    [
      'cost_limit: cheap',
      'phases.research.cost_limit',
      17,
      '"cheap" is not an amount in USD; write e.g. 0.05 or "$0.05"',
    ],
    ['cost_limit:', 'phases.research.cost_limit', 5, 'expected an amount in USD such as 0.05 or "$0.05"'],
    ['timeout: -5', 'phases.research.timeout', 14, 'a duration cannot be negative (got -5)'],
    [
      'timeout: ten minutes',
      'phases.research.timeout',
      14,
      '"ten minutes" is not a duration; write e.g. "10m", "600s", "10 minutes" or "1h30m"',
    ],
    ['timeout: 0s', 'phases.research.timeout', 14, 'must be longer than zero'],
    ['max_turns: -3', 'phases.research.max_turns', 16, 'must be at least 1, got -3'],
    ['max_turns: many', 'phases.research.max_turns', 16, 'expected a number, got "many"'],
    ['max_output_tokens: 0.5', 'phases.research.max_output_tokens', 24, 'expected a whole number, got 0.5'],
    ['quality_gate: 1.5', 'phases.research.quality_gate', 19, 'the gate threshold must be between 0 and 1'],
    [
      'quality_gate: { threshold: -0.1 }',
      'phases.research.quality_gate.threshold',
      32,
      'the gate threshold must be between 0 and 1',
    ],
    [
      'max_quality_gate: 2',
      'phases.research.max_quality_gate',
      23,
      'the gate threshold must be between 0 and 1',
    ],
    [
      'quality_threshold: high',
      'phases.research.quality_threshold',
      24,
      'expected a gate threshold, a number between 0 and 1',
    ],
    ['quality_gate: yes', 'phases.research.quality_gate', 19, 'expected a number or a mapping, got "yes"'],
    [
      'escalation: [retri]',
      'phases.research.escalation[0]',
      18,
      'expected `retry`, `escalate`, `halt`; got "retri"',
    ],
    ['depends_on: 5', 'phases.research.depends_on', 17, 'expected a phase id or a list of phase ids'],
  ])('refuses %s', (row, fieldPath, column, message) => {
    const { error } = rejectionOf(researchPhase(row));
    expect(issueAt(error, fieldPath)).toMatchObject({ line: 4, column, message });
  });

  it('refuses a threshold given in two spellings', () => {
    const { error } = rejectionOf(researchPhase('max_quality_gate: 0.8', 'quality_threshold: 0.9'));
    const issue = issueAt(error, 'phases.research.quality_threshold');
    expect(where(issue)).toBe('phasewise.yaml:5:24');
    expect(issue.message).toBe('the gate threshold is already set by `max_quality_gate`');
  });

  it('refuses depends_on and dependencies together', () => {
    const { error } = rejectionOf(
      lines(
        'phases:',
        '  research: {}',
        '  planning:',
        '    depends_on: research',
        '    dependencies: research',
      ),
    );
    expect(where(issueAt(error, 'phases.planning.dependencies'))).toBe('phasewise.yaml:5:5');
  });

  it('refuses an unknown check kind, naming the kinds', () => {
    const { error } = rejectionOf(researchPhase('quality_gate:', '  checks:', '    - { kind: jugde }'));
    const issue = issueAt(error, 'phases.research.quality_gate.checks[0].kind');
    expect(issue).toMatchObject({
      line: 6,
      message:
        'unknown kind "jugde"; expected one of `sections`, `cost`, `grounding`, `command`, `judge`, `findings`, `diff`, `custom`, `matches`, `work-items`',
    });
  });

  it('refuses checks whose weights are all zero', () => {
    const { error } = rejectionOf(researchPhase('quality_gate:', '  checks: [{ kind: cost, weight: 0 }]'));
    expect(issueAt(error, 'phases.research.quality_gate.checks').message).toBe(
      'at least one check needs a weight above zero',
    );
  });

  it('refuses a phase id that does not start with a letter, at the key', () => {
    const { error } = rejectionOf(lines('phases:', '  1st:', '    agent: research'));
    expect(where(issueAt(error, 'phases.1st'))).toBe('phasewise.yaml:2:3');
  });

  it('refuses an empty phases mapping', () => {
    const { error } = rejectionOf(lines('phases: {}'));
    expect(issueAt(error, 'phases').message).toBe('no phases defined');
  });
});

describe('references between phases', () => {
  it('names a dependency cycle', () => {
    const { error } = rejectionOf(
      lines(
        'phases:',
        '  research:',
        '    depends_on: planning',
        '  planning:',
        '    depends_on: [research]',
      ),
    );
    const issue = issueAt(error, 'phases.research.depends_on');
    expect(where(issue)).toBe('phasewise.yaml:3:17');
    expect(issue.message).toBe('dependency cycle: research → planning → research');
  });

  it('names a longer cycle from its earliest phase, and a phase that depends on itself', () => {
    const { error } = rejectionOf(
      lines(
        'phases:',
        '  research: { depends_on: review }',
        '  planning: { depends_on: research }',
        '  review: { depends_on: planning }',
        '  verification: { depends_on: verification }',
      ),
    );
    expect(error.issues.map((issue) => issue.message)).toEqual([
      'dependency cycle: research → planning → review → research',
      'dependency cycle: verification → verification',
    ]);
  });

  it('refuses an unknown phase in depends_on with a suggestion', () => {
    const { error } = rejectionOf(
      lines('phases:', '  research: {}', '  planning:', '    depends_on: [research, reserch]'),
    );
    const issue = issueAt(error, 'phases.planning.depends_on[1]');
    expect(where(issue)).toBe('phasewise.yaml:4:28');
    expect(issue).toMatchObject({ message: 'unknown phase `reserch`', hint: 'did you mean `research`?' });
  });

  it('refuses an unknown tier, listing the tiers', () => {
    const { error } = rejectionOf(researchPhase('model: gpt'));
    expect(issueAt(error, 'phases.research.model')).toMatchObject({
      line: 4,
      column: 12,
      message: 'unknown tier `gpt` (tiers: haiku, sonnet, opus)',
      hint: 'a model is a tier, a provider:model reference, or auto',
    });
  });

  it('suggests the close tier', () => {
    const { error } = rejectionOf(researchPhase('model: hiaku'));
    expect(issueAt(error, 'phases.research.model').hint).toBe('did you mean `haiku`?');
  });

  it('refuses an unknown agent with a suggestion', () => {
    const { error } = rejectionOf(researchPhase('agent: reviewer'));
    expect(issueAt(error, 'phases.research.agent')).toMatchObject({
      line: 4,
      column: 12,
      message: 'unknown agent `reviewer` (agents: research, planning, implementation, review, verification)',
      hint: 'did you mean `review`?',
    });
  });

  it('asks for an agent when the phase id names none', () => {
    const { error } = rejectionOf(lines('phases:', '  triage:', '    model: haiku'));
    const issue = issueAt(error, 'phases.triage');
    expect(where(issue)).toBe('phasewise.yaml:2:3');
    expect(issue.message).toBe('phase `triage` needs an `agent`: its id names no agent');
    expect(issue.hint).toMatch(/^agents: research, planning, implementation, review, verification/);
  });

  it('refuses an unknown provider in a phase model', () => {
    const { error } = rejectionOf(researchPhase('model: anthropik:claude-haiku-4-5'));
    expect(issueAt(error, 'phases.research.model')).toMatchObject({
      message: 'unknown provider `anthropik` in `anthropik:claude-haiku-4-5`',
      hint: 'did you mean `anthropic`?',
    });
  });
});
