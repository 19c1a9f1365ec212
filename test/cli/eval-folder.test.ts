/** Which folder an eval goes to, on real files: `-o`; else the latest unfinished one of the same eval; else new. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSameEval, outputFolder, readManifest, writeManifest } from '../../src/cli/eval-folder.js';

const wanted = { version: 1 as const, taskSet: '/tasks', policies: ['default', 'all-top'], repeat: 2 };
const manifest = (complete: boolean, changes: Partial<typeof wanted> = {}) => ({
  ...wanted,
  ...changes,
  startedAt: '2026-12-05T07:00:00.000Z',
  complete,
});

describe('the eval folder', () => {
  it('goes on with the latest unfinished eval of the same task set, policies and repeats', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pwfolder'));
    const root = join(cwd, '.phasewise', 'eval');
    writeManifest(join(root, '20261205T060000'), manifest(false));
    writeManifest(join(root, '20261205T063000'), manifest(false));
    writeManifest(join(root, '20261205T064000'), manifest(true));
    writeManifest(join(root, '20261205T065000'), manifest(false, { repeat: 3 }));
    expect(outputFolder(undefined, wanted, cwd)).toBe(join(root, '20261205T063000'));
    expect(outputFolder('mine', wanted, cwd)).toBe(join(cwd, 'mine'));
  });

  it('starts a new folder, without hyphens, and keeps .phasewise/ out of git', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pwfolder'));
    const dir = outputFolder(undefined, wanted, cwd);
    expect(dir).toMatch(/\/\.phasewise\/eval\/\d{8}T\d{6}$/);
    expect(readFileSync(join(cwd, '.phasewise', '.gitignore'), 'utf8')).toBe('*\n');
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a folder holding another eval, and reads back what it wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwfolder'));
    writeManifest(dir, manifest(false));
    expect(readManifest(dir)).toEqual(manifest(false));
    expect(() => checkSameEval(readManifest(dir), wanted, dir)).not.toThrow();
    expect(() => checkSameEval(readManifest(dir), { ...wanted, policies: ['default'] }, dir)).toThrow(
      /holds another eval \(\/tasks, policies default,all-top, --repeat 2\)/,
    );
    expect(readManifest(join(dir, 'absent'))).toBeUndefined();
  });
});
