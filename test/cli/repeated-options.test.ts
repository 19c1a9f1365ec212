/** An option that takes one value is given once: a repeat is refused (exit 2), never settled by the last one. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

describe('repeated options', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'phasewise-repeat-'));
  writeFileSync(join(cwd, 'a.yaml'), 'version: 1\n');

  it.each([
    [['validate', '-c', 'a.yaml', '-c', 'a.yaml'], '--config was given twice (a.yaml and a.yaml)'],
    [['validate', '-c', 'a.yaml', '--config=b.yaml'], '--config was given twice (a.yaml and b.yaml)'],
    [['run', 'task', '--budget', '1', '--budget', '500'], '--budget was given twice (1 and 500)'],
    [['status', '--workspace', '.', '--workspace', '/'], '--workspace was given twice (. and /)'],
    [['report', 'r1', '--format', 'md', '--format', 'json'], '--format was given twice (md and json)'],
  ])('%j', (args, message) => {
    const result = cli(args, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('leaves flags and single uses alone', () => {
    const result = cli(['validate', '-c', 'a.yaml', '--json', '--json'], { cwd });
    expect(result.stderr).not.toContain('given twice');
  });
});

describe('what an error quotes', () => {
  it('shows control characters escaped, never raw', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'phasewise-control-'));
    const result = cli(['validate', '-c', 'pw\u001b[31m\u0007.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pw\\u001b[31m\\u0007.yaml');
    expect(result.stderr.includes('\u001b') || result.stderr.includes('\u0007')).toBe(false);
  });
});
