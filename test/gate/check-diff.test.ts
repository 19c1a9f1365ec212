import { describe, expect, it } from 'vitest';
import { checkDiff } from '../../src/gate/check-diff.js';
import { globToRegExp, matchesAnyGlob } from '../../src/gate/path-glob.js';

describe('diff check', () => {
  it('passes an unchanged workspace and fails a changed one, listing the paths', () => {
    expect(checkDiff([], { expect: 'unchanged' })).toMatchObject({ score: 1 });
    expect(checkDiff(['.phasewise/runs.db'], { expect: 'unchanged' })).toMatchObject({ score: 1 });
    expect(checkDiff(['notes.md', 'src/a.js'], { expect: 'unchanged' })).toEqual({
      score: 0,
      message: 'the workspace changed: notes.md, src/a.js',
      evidence: { changed: ['notes.md', 'src/a.js'] },
    });
  });

  it('shows what others changed meanwhile without counting it', () => {
    expect(checkDiff([], { expect: 'unchanged' }, ['events.ndjson'])).toEqual({
      score: 1,
      message: 'the workspace is unchanged; not by the phase, not counted: events.ndjson',
      evidence: { changed: [], changedByOthers: ['events.ndjson'] },
    });
    expect(checkDiff(['src/a.js'], { expect: 'unchanged' }, ['README.md'])).toMatchObject({
      score: 0,
      evidence: { changed: ['src/a.js'], changedByOthers: ['README.md'] },
    });
    expect(checkDiff([], { expect: 'changed' }, ['README.md'])).toMatchObject({
      score: 0,
      evidence: { changed: [], changedByOthers: ['README.md'] },
    });
  });

  it('requires a change when a change is expected', () => {
    expect(checkDiff([], { expect: 'changed' })).toMatchObject({
      score: 0,
      message: 'nothing in the workspace changed',
    });
    expect(checkDiff(['src/a.js'], { expect: 'changed' })).toMatchObject({
      score: 1,
      message: '1 path(s) changed',
    });
  });

  it('keeps the changes within the allowed paths', () => {
    const options = {
      expect: 'changed' as const,
      allowedPaths: ['src/**', 'test/**/*.test.js', 'README.md'],
    };
    expect(checkDiff(['src/deep/a.js', 'test/unit/a.test.js', 'README.md'], options).score).toBe(1);
    expect(checkDiff(['src/a.js', 'package.json', 'test/helper.js'], options)).toMatchObject({
      score: 0,
      message:
        'changed outside the allowed paths (src/**, test/**/*.test.js, README.md): package.json, test/helper.js',
      evidence: { outside: ['package.json', 'test/helper.js'] },
    });
  });

  it('refuses to judge without a measurement', () => {
    expect(() => checkDiff(null, { expect: 'unchanged' })).toThrow('the workspace changes were not measured');
  });
});

describe('globs', () => {
  it.each([
    ['src', 'src/a/b.js', true],
    ['src/', 'src/a.js', true],
    ['src', 'srcx/a.js', false],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/a.md', false],
    ['**/*.md', 'docs/a.md', true],
    ['**/*.md', 'a.md', true],
    ['src/**/index.ts', 'src/index.ts', true],
    ['src/*.{js,ts}', 'src/a.ts', true],
    ['src/*.{js,ts}', 'src/a.tsx', false],
    ['file?.txt', 'file1.txt', true],
    ['[ab].js', 'c.js', false],
    ['./lib/**', 'lib/x', true],
  ])('%s matches %s: %s', (pattern, file, expected) => {
    expect(matchesAnyGlob(file, [pattern])).toBe(expected);
  });

  it('escapes regular-expression characters', () => {
    expect(globToRegExp('a+b.(c)').test('a+b.(c)')).toBe(true);
    expect(globToRegExp('a+b.(c)').test('aab-(c)')).toBe(false);
  });
});
