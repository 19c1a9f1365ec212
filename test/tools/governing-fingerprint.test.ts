/** The fingerprint of the governing files and git metadata, and putting back what changed, on real files. */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  restoredText,
  restoreGoverning,
  takeGoverningFingerprint,
} from '../../src/tools/governing-fingerprint.js';

let root = '';
let outside = '';
const CONFIG = 'budget: 1.00\n';

beforeEach(() => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-fingerprint-')));
  root = join(base, 'workspace');
  outside = join(base, 'outside.yaml');
  mkdirSync(join(root, 'ci'), { recursive: true });
  writeFileSync(join(root, 'ci', 'pw.yaml'), CONFIG, { mode: 0o640 });
  writeFileSync(outside, CONFIG);
  execFileSync('git', ['init', '-q', root]);
  execFileSync('git', ['init', '-q', join(root, 'sub')]);
});

afterEach(() => rmSync(join(root, '..'), { recursive: true, force: true }));

const governed = () => [join(root, 'ci', 'pw.yaml'), join(root, 'phasewise.yaml'), outside];

describe('takeGoverningFingerprint and restoreGoverning', () => {
  it('nothing changed: nothing is put back', () => {
    const fingerprint = takeGoverningFingerprint(root, governed());
    writeFileSync(join(root, 'notes.txt'), 'work\n');
    expect(restoreGoverning(fingerprint)).toEqual([]);
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('work\n');
  });

  it('changed bytes and mode come back; a created name is removed; a file outside is named in full', () => {
    const fingerprint = takeGoverningFingerprint(root, governed());
    writeFileSync(join(root, 'ci', 'pw.yaml'), 'budget: 500\n');
    chmodSync(join(root, 'ci', 'pw.yaml'), 0o777);
    writeFileSync(join(root, 'phasewise.yaml'), 'budget: 999\n');
    writeFileSync(outside, 'sandbox: none\n');
    const restored = restoreGoverning(fingerprint);
    // Parents before children: by path length, so the file outside (a shorter path here) comes first.
    expect(restoredText(restored)).toBe(`restored ${outside}, restored ci/pw.yaml, removed phasewise.yaml`);
    expect(readFileSync(join(root, 'ci', 'pw.yaml'), 'utf8')).toBe(CONFIG);
    expect(lstatSync(join(root, 'ci', 'pw.yaml')).mode & 0o777).toBe(0o640);
    expect(existsSync(join(root, 'phasewise.yaml'))).toBe(false);
    expect(readFileSync(outside, 'utf8')).toBe(CONFIG);
  });

  it('a deleted file, its deleted directory, and a link put in its place are undone', () => {
    const fingerprint = takeGoverningFingerprint(root, governed());
    rmSync(join(root, 'ci'), { recursive: true });
    mkdirSync(join(root, 'ci'));
    symlinkSync(outside, join(root, 'ci', 'pw.yaml'));
    mkdirSync(join(root, 'phasewise.yaml'));
    expect(restoredText(restoreGoverning(fingerprint))).toBe('restored ci/pw.yaml, removed phasewise.yaml');
    expect(lstatSync(join(root, 'ci', 'pw.yaml')).isFile()).toBe(true);
    expect(readFileSync(join(root, 'ci', 'pw.yaml'), 'utf8')).toBe(CONFIG);
    rmSync(join(root, 'ci'), { recursive: true });
    const again = takeGoverningFingerprint(root, governed());
    expect(restoreGoverning(again)).toEqual([]);
    // A missing configuration whose directory is missing too is still kept missing.
    mkdirSync(join(root, 'ci'));
    writeFileSync(join(root, 'ci', 'pw.yaml'), 'budget: 999\n');
    expect(restoreGoverning(again)).toEqual([{ path: 'ci/pw.yaml', action: 'removed' }]);
  });

  it('git configuration and hooks at any depth come back; new hooks and new repositories are removed', () => {
    const config = readFileSync(join(root, 'sub', '.git', 'config'), 'utf8');
    const fingerprint = takeGoverningFingerprint(root, governed());
    execFileSync('git', ['-C', join(root, 'sub'), 'config', 'core.hooksPath', '/tmp']);
    writeFileSync(join(root, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\n', { mode: 0o755 });
    unlinkSync(join(root, '.git', 'hooks', 'pre-push.sample'));
    execFileSync('git', ['init', '-q', join(root, 'deep', 'er')]);
    const restored = restoredText(restoreGoverning(fingerprint));
    expect(restored).toContain('removed deep/er/.git');
    expect(restored).toContain('removed .git/hooks/pre-commit');
    expect(restored).toContain('restored .git/hooks/pre-push.sample');
    expect(restored).toContain('restored sub/.git/config');
    expect(readFileSync(join(root, 'sub', '.git', 'config'), 'utf8')).toBe(config);
    expect(existsSync(join(root, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(existsSync(join(root, '.git', 'hooks', 'pre-push.sample'))).toBe(true);
    expect(existsSync(join(root, 'deep', 'er', '.git'))).toBe(false);
  });

  it("the enclosing repository's configuration is kept too, when the workspace lies inside it", () => {
    const inner = join(root, 'ci');
    const config = readFileSync(join(root, '.git', 'config'), 'utf8');
    const fingerprint = takeGoverningFingerprint(inner, [join(inner, 'pw.yaml')]);
    execFileSync('git', ['-C', inner, 'config', 'core.hooksPath', '/tmp']);
    expect(restoredText(restoreGoverning(fingerprint))).toBe(`restored ${join(root, '.git', 'config')}`);
    expect(readFileSync(join(root, '.git', 'config'), 'utf8')).toBe(config);
  });

  it('a repository deleted whole is not rebuilt from its configuration alone', () => {
    const fingerprint = takeGoverningFingerprint(root, governed());
    rmSync(join(root, 'sub', '.git'), { recursive: true });
    expect(restoreGoverning(fingerprint)).toEqual([]);
    expect(existsSync(join(root, 'sub', '.git'))).toBe(false);
  });

  it('node_modules is not searched for repositories (the walk stays cheap)', () => {
    const fingerprint = takeGoverningFingerprint(root, governed());
    execFileSync('git', ['init', '-q', join(root, 'node_modules', 'pkg')]);
    expect(restoreGoverning(fingerprint)).toEqual([]);
  });
});
