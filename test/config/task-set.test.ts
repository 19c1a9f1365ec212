/** The eval task set loader: real files in a real folder; every problem named by file, line and field (exit 2). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskSet } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/index.js';

function taskSet(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pwtasks'));
  mkdirSync(join(dir, 'repo'));
  mkdirSync(join(dir, 'tasks'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'tasks', name), text);
  return dir;
}

function problems(dir: string): ConfigError {
  try {
    loadTaskSet('tasks', dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return error as ConfigError;
  }
  throw new Error('the task set was accepted');
}

const good = 'task: Fix add()\nrepository: ../repo\ncommit: abc123\nhidden_check:\n  command: npm test\n';

describe('loadTaskSet', () => {
  it('reads one task per YAML file, in name order, the repository resolved from the file', () => {
    const dir = taskSet({
      'b.yaml': good,
      'a.yml': `${good.replace('npm test', 'node check.js')}  timeout: 90s\n`,
      'notes.txt': 'not a task',
    });
    const tasks = loadTaskSet('tasks', dir);
    expect(tasks.map((task) => task.id)).toEqual(['a', 'b']);
    expect(tasks[0]).toMatchObject({
      text: 'Fix add()',
      repository: join(dir, 'repo'),
      remote: false,
      commit: 'abc123',
      hiddenCheck: { command: 'node check.js', timeoutMs: 90_000 },
    });
    expect(tasks[1]!.hiddenCheck.timeoutMs).toBe(600_000);
  });

  it('keeps a URL as it is, to be cloned', () => {
    const dir = taskSet({ 'a.yaml': good.replace('../repo', 'https://example.invalid/owner/repo.git') });
    expect(loadTaskSet('tasks', dir)[0]).toMatchObject({
      remote: true,
      repository: 'https://example.invalid/owner/repo.git',
    });
  });

  it('names the file, line and field of every problem in every file at once', () => {
    const dir = taskSet({
      'a.yaml': 'task: Fix add()\nrepository: ../repo\ncommit: abc123\nhidden_check:\n  comand: npm test\n',
      'b.yaml': good.replace('../repo', '../nowhere').replace('commit: abc123\n', 'commit: 12\n'),
      'c.yaml': `${good}  timeout: soon\n`,
    });
    const error = problems(dir);
    const shown = error.issues.map(
      (issue) => `${issue.file?.replace(dir, '')}:${issue.line} ${issue.path}: ${issue.message}`,
    );
    expect(shown).toEqual([
      // A missing key is placed at the mapping that lacks it.
      '/tasks/a.yaml:5 hidden_check.command: is required',
      '/tasks/a.yaml:5 hidden_check.comand: unknown key `comand`',
      expect.stringMatching(/^\/tasks\/b\.yaml:3 commit: expected text, got 12/),
      expect.stringMatching(/^\/tasks\/c\.yaml:6 hidden_check\.timeout: /),
    ]);
    expect(error.issues[1]!.hint).toContain('command');
  });

  it('says what a task set is when the folder is missing, a file, or empty', () => {
    const dir = taskSet({});
    expect(problems(dir).message).toContain('the task set holds no .yaml file');
    writeFileSync(join(dir, 'file.yaml'), good);
    expect(() => loadTaskSet('file.yaml', dir)).toThrow(/a task set is a folder, not a file/);
    expect(() => loadTaskSet('absent', dir)).toThrow(/task set not found/);
  });

  it('reports a YAML syntax error at its line', () => {
    const dir = taskSet({ 'a.yaml': 'task: Fix\nrepository: [unclosed\n' });
    // The parser places an unclosed list where the file ends.
    expect(problems(dir).issues[0]).toMatchObject({
      file: join(dir, 'tasks', 'a.yaml'),
      line: 3,
      message: expect.stringMatching(/YAML syntax error/),
    });
  });
});
