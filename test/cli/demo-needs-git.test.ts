/**
 * The demo fans its implementation out over git worktrees: on a machine without git it stops before it copies or
 * starts anything, says what is missing and how to get it, and exits 2.
 */
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

describe('phasewise demo without git', () => {
  it('refuses with a clear error and leaves its directory empty', () => {
    const root = mkdtempSync(join(tmpdir(), 'phasewise-demo-nogit-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // A PATH with node and nothing else: no git on it.
    symlinkSync(process.execPath, join(bin, 'node'));
    const target = join(root, 'demo');
    const result = cli(['demo', '--dir', target], { cwd: root, env: { PATH: bin } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the demo needs git');
    expect(result.stderr).toContain('apt-get install git');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(root)).toEqual(['bin']);
  });
});
