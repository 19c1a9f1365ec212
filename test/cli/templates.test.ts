/** `phasewise templates`, `init --template` and `--template` on validate and estimate, as users run them. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'phasewise-templates-'));

describe('phasewise templates', () => {
  it('lists the built-in templates and the user own, one line each', () => {
    const dir = emptyDir();
    mkdirSync(join(dir, '.phasewise', 'templates'), { recursive: true });
    writeFileSync(
      join(dir, '.phasewise', 'templates', 'hotfix.yaml'),
      '# a bug fix with a bigger budget\nextends: bugfix\nbudget: 4\n',
    );
    const result = cli(['templates'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^\w+\s{2,}/.test(line));
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([
      'template',
      'feature',
      'bugfix',
      'refactor',
      'docs',
      'performance',
      'security',
      'hotfix',
    ]);
    expect(result.stdout).toMatch(/bugfix\s+built-in\s+reproduce with a failing test first/);
    expect(result.stdout).toMatch(
      /hotfix\s+\.phasewise\/templates\/hotfix\.yaml\s+a bug fix with a bigger budget/,
    );
    const json = cli(['templates', '--json'], { cwd: dir })
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(json.at(-1)).toEqual({
      name: 'hotfix',
      source: '.phasewise/templates/hotfix.yaml',
      summary: 'a bug fix with a bigger budget',
    });
    expect(cli(['validate', '--template', 'hotfix'], { cwd: dir }).stdout).toContain('budget: $4.00');
  });
});

describe('init --template', () => {
  it('writes the template out, commented, and the file validates as that template', () => {
    const dir = emptyDir();
    const result = cli(['init', '--template', 'bugfix'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(join(dir, 'phasewise.yaml'), 'utf8');
    expect(text).toMatch(/^# phasewise\.yaml from the `bugfix` template/);
    expect(text).toContain('expect_failure: true');
    const validated = cli(['validate'], { cwd: dir });
    expect(validated.code, validated.stderr).toBe(0);
    for (const id of ['research', 'reproduce', 'fix', 'verification']) expect(validated.stdout).toContain(id);
    expect(validated.stdout).toContain('test-fails!');
  });

  it('refuses an unknown template with the closest name, exit 2', () => {
    const result = cli(['init', '--template', 'refactr'], { cwd: emptyDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown template `refactr`');
    expect(result.stderr).toContain('did you mean `refactor`?');
  });
});

describe('--template without a file', () => {
  it('validate and estimate use the template; with -c it is refused', () => {
    const dir = emptyDir();
    const validated = cli(['validate', '--template', 'security'], { cwd: dir });
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toContain('configuration is valid: template security');
    expect(validated.stdout).toMatch(/audit\s+auditor/);
    const estimated = cli(['estimate', '--template', 'performance', 'Make login faster'], { cwd: dir });
    expect(estimated.code, estimated.stderr).toBe(0);
    for (const id of ['baseline', 'optimize', 'measure']) expect(estimated.stdout).toContain(id);
    const unknown = cli(['run', '--template', 'securty', 'Audit it'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean `security`?');
    const both = cli(['validate', '--template', 'docs', '-c', 'phasewise.yaml'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --template or -c/--config');
  });
});
