/** No path tool reaches outside the workspace: not by `..`, an absolute path, or a link that leads out. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OUTSIDE_SECRET } from '../tool-workspace.js';
import type { Staged } from './staged.js';

const inputs: Record<string, (path: string) => Record<string, unknown>> = {
  read: (path) => ({ path }),
  write: (path) => ({ path, content: 'pwned' }),
  edit: (path) => ({ path, old: 'OUTSIDE', new: 'pwned' }),
  list: (path) => ({ path }),
  glob: (path) => ({ pattern: '*', path }),
  grep: (path) => ({ pattern: 'OUTSIDE', path }),
};

const ways: Array<[string, string]> = [
  ['a parent-relative path', '../outside/secret.txt'],
  ['an absolute path', '/etc/passwd'],
  ['a link to a file outside', 'link-file'],
  ['a file under a link to a directory outside', 'link-dir/secret.txt'],
];

export function describePathCases(staged: () => Staged): void {
  it.each(ways)('every path tool refuses %s (%s), and says why', async (_way, path) => {
    const { fixture, call } = staged();
    for (const [name, input] of Object.entries(inputs)) {
      const result = await call(name, input(path));
      expect(result.isError, `${name} ${path}`).toBe(true);
      expect(result.output, name).not.toContain(OUTSIDE_SECRET);
      expect(result.output, name).not.toContain('root:');
      expect(result.output, name).toMatch(/outside the workspace|absolute|symbolic link/);
    }
    expect(readFileSync(join(fixture.outside, 'secret.txt'), 'utf8')).toBe(`${OUTSIDE_SECRET}\n`);
    expect(fixture.outsideListing()).toEqual(['dir', 'dir/secret.txt', 'secret.txt']);
  });

  it('searches of the whole workspace show nothing behind links', async () => {
    const { call } = staged();
    for (const [name, input] of [
      ['grep', { pattern: 'OUTSIDE' }],
      ['glob', { pattern: '**/*.txt' }],
      ['list', { path: '.' }],
    ] as const) {
      const result = await call(name, input);
      expect(result.output, name).not.toContain(OUTSIDE_SECRET);
      expect(result.output, name).not.toContain('secret.txt');
    }
  });
}
