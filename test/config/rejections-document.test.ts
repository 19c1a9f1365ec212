import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/config/index.js';
import { configErrorOf, issueAt, lines, rejectionOf, tempDir, where, writeConfig } from './config-files.js';

describe('a configuration file that cannot be read', () => {
  it('names a file that does not exist', () => {
    const dir = tempDir();
    const error = configErrorOf(() => loadWorkflow({ cwd: dir, configFile: 'missing.yaml' }));
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: path.join(dir, 'missing.yaml'),
        path: '',
        message: 'configuration file not found',
      }),
    ]);
    expect(error.exitCode).toBe(2);
  });

  it('reports a YAML syntax error at its position', () => {
    const { error } = rejectionOf(lines('version: 1', 'budget: usd: 1.5'));
    expect(error.issues).toHaveLength(1);
    expect(where(error.issues[0]!)).toBe('phasewise.yaml:2:9');
    expect(error.issues[0]?.message).toMatch(/^YAML syntax error: Nested mappings/);
  });

  it('reports a duplicated key as a syntax error', () => {
    const { error } = rejectionOf(lines('budget: 1', 'budget: 2'));
    expect(where(error.issues[0]!)).toBe('phasewise.yaml:2:1');
    expect(error.issues[0]?.message).toMatch(/unique/);
  });

  it('refuses an empty file and one with only comments', () => {
    for (const text of ['', '# nothing here\n']) {
      const { error } = rejectionOf(text);
      expect(error.issues).toEqual([
        expect.objectContaining({ line: 1, column: 1, message: 'the configuration file is empty' }),
      ]);
    }
  });

  it('refuses a top level that is not a mapping', () => {
    const { error } = rejectionOf(lines('# a list', '- research', '- planning'));
    expect(where(error.issues[0]!)).toBe('phasewise.yaml:2:1');
    expect(error.issues[0]?.message).toBe(
      'the top level must be a mapping of keys (version, task, phases, ...), got a list',
    );
  });
});

describe('top-level keys', () => {
  it('refuses an unknown key at the key, suggesting the close one', () => {
    const { error } = rejectionOf(lines('version: 1', 'concurency: 3'));
    const issue = issueAt(error, 'concurency');
    expect(where(issue)).toBe('phasewise.yaml:2:1');
    expect(issue.message).toBe('unknown key `concurency`');
    expect(issue.hint).toBe('did you mean `concurrency`?');
  });

  it('lists the allowed keys when none is close', () => {
    const { error } = rejectionOf(lines('colour: blue'));
    expect(issueAt(error, 'colour').hint).toMatch(/^allowed keys: version, task, workspace, budget, /);
  });

  it('accepts only version 1', () => {
    const { error } = rejectionOf(lines('version: 2'));
    const issue = issueAt(error, 'version');
    expect(where(issue)).toBe('phasewise.yaml:1:10');
    expect(issue.message).toBe('expected `1`; got 2');
  });

  it.each([
    ['budget: 0', 'budget', 'must be greater than zero'],
    ['budget: "$"', 'budget', '"$" is not an amount in USD; write e.g. 0.05 or "$0.05"'],
    ['budget: { usd: -1 }', 'budget.usd', 'an amount cannot be negative (got -1)'],
    ['budget: [1]', 'budget', 'expected an amount in USD such as 1.50, "$1.50" or { usd: 1.50 }'],
    [
      'deadline: soon',
      'deadline',
      '"soon" is not a duration; write e.g. "10m", "600s", "10 minutes" or "1h30m"',
    ],
    ['concurrency: 17', 'concurrency', 'must be at most 16, got 17'],
    ['concurrency: 1.5', 'concurrency', 'expected a whole number, got 1.5'],
    ['escalation: []', 'escalation', 'must not be empty'],
  ])('refuses %s', (text, fieldPath, message) => {
    const { error } = rejectionOf(lines('version: 1', text));
    expect(issueAt(error, fieldPath)).toMatchObject({ line: 2, message });
  });

  it('refuses a workspace that is not a directory', () => {
    const { error, dir } = rejectionOf(lines('workspace: ./nowhere'));
    expect(issueAt(error, 'workspace')).toMatchObject({
      line: 1,
      column: 12,
      message: `not a directory: ${dir}/nowhere`,
    });
  });

  it('refuses a task that looks like a path to a missing file', () => {
    const { error, dir } = rejectionOf(lines('task: ./TASK.md'));
    expect(issueAt(error, 'task')).toMatchObject({
      line: 1,
      column: 7,
      message: `file not found: ${dir}/TASK.md`,
    });
  });
});

describe('command-line overrides', () => {
  it('refuses a budget that is not above zero and a workspace that does not exist', () => {
    const { dir } = writeConfig(lines('version: 1'));
    const error = configErrorOf(() => loadWorkflow({ cwd: dir, budgetUsd: 0, workspace: 'nowhere' }));
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: 'command line',
        path: '--budget',
        message: 'must be an amount in USD above zero, got 0',
      }),
      expect.objectContaining({
        file: 'command line',
        path: '--workspace',
        message: `not a directory: ${dir}/nowhere`,
      }),
    ]);
  });

  it('checks them without a configuration file too', () => {
    const error = configErrorOf(() => loadWorkflow({ cwd: tempDir(), budgetUsd: Number.NaN }));
    expect(error.issues[0]?.path).toBe('--budget');
  });
});

describe('the error as a whole', () => {
  it('collects every problem into one error, in file order, one screen without a stack trace', () => {
    const { error, file } = rejectionOf(
      lines(
        'version: 1',
        'budget: -1',
        'phases:',
        '  research:',
        '    cost_limit: lots',
        '    timout: 10m',
        '  planning:',
        '    depends_on: reserch',
      ),
    );
    expect(error.issues.map((issue) => `${issue.line}:${issue.column} ${issue.path}`)).toEqual([
      '2:9 budget',
      '5:17 phases.research.cost_limit',
      '6:5 phases.research.timout',
      '8:17 phases.planning.depends_on[0]',
    ]);
    expect(error.message.split('\n')[0]).toBe('4 problems in the configuration:');
    expect(error.message).toContain(
      `  ${file}:6:5: phases.research.timout: unknown key \`timout\`\n    hint: did you mean \`timeout\`?`,
    );
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});
