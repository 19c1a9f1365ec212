/**
 * Input that tries what no honest configuration does: a key that JavaScript treats as a prototype, a tag that
 * asks for code, an amount at the edge of a double, a control character in a key, a task of 30 MB. Each is
 * refused where it stands, never dropped, run or echoed raw.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFieldPath } from '../../src/config/field-path.js';
import { loadWorkflow } from '../../src/config/index.js';
import { configErrorOf, lines, rejectionOf, tempDir, where } from './config-files.js';

describe('hostile configuration input', () => {
  it('refuses `__proto__` as a key instead of losing it', () => {
    const { error } = rejectionOf(lines('version: 1', 'phases:', '  __proto__: { agent: research }'));
    expect(where(error.issues[0]!)).toBe('phasewise.yaml:3:3');
    expect(error.issues[0]?.message).toMatch(/`__proto__` cannot be a key/);
  });

  it('refuses a tag it cannot resolve (`!!js/function`, a custom tag)', () => {
    for (const tag of ['!!js/function', '!custom', '!!python/object']) {
      const { error } = rejectionOf(lines('version: 1', `task: ${tag} "function () {}"`));
      expect(where(error.issues[0]!)).toBe('phasewise.yaml:2:7');
      expect(error.issues[0]?.message).toMatch(/^unsupported YAML tag !/);
    }
  });

  it('refuses amounts no budget can mean', () => {
    for (const text of ['budget: 1e308', 'budget: { usd: 100001 }', 'budget: 1.7976931348623157e308']) {
      const { error } = rejectionOf(lines('version: 1', text));
      expect(error.issues[0]?.message).toMatch(/too large; budgets and limits go up to \$100,000/);
    }
    expect(() => loadWorkflow({ cwd: tempDir(), budgetUsd: 1e308 })).toThrow(/--budget/);
  });

  it('shows a control character in a key escaped, in the message and in field paths', () => {
    const { error } = rejectionOf('version: 1\nphases:\n  "k\\0ey": { agent: research }\n');
    expect(error.issues[0]?.message).toBe('the key "k\\u0000ey" has a control character; keys are names');
    expect(error.message).not.toContain('\0');
    expect(formatFieldPath(['phases', 'k\0ey', 'agent'])).toBe('phases["k\\u0000ey"].agent');
  });

  it('gives inline text the limits of a task file', () => {
    const dir = tempDir();
    const big = 'Move session auth to JWT. '.repeat(45_000); // 1.1 MiB
    writeFileSync(path.join(dir, 'phasewise.yaml'), `version: 1\ntask: |\n  ${big}\n`);
    const error = configErrorOf(() => loadWorkflow({ cwd: dir }));
    expect(error.issues[0]?.message).toMatch(/inline text is 1\.1 MiB; a task or prompt is at most 1 MiB/);
  });

  it('refuses a configuration file of 30 MB before parsing it', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'phasewise.yaml'), `version: 1\ntask: "${'a'.repeat(30_000_000)}"\n`);
    const started = Date.now();
    const error = configErrorOf(() => loadWorkflow({ cwd: dir }));
    expect(error.issues[0]?.message).toMatch(/is 28\.6 MiB; a configuration file is at most 2 MiB/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
