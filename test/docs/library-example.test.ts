/**
 * docs/library.md's complete example, run as a user would run it: its code taken from the Markdown, saved in a
 * project whose node_modules/phasewise is this package, and imported by the package's name through its
 * `exports` — so it runs against the built package (`npm run build` first), not the sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** The first ```js block after `heading`. */
function codeBlockAfter(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`no "${heading}" heading in the document`);
  const block = /\n```js\n([\s\S]*?)\n```\n/.exec(markdown.slice(start));
  if (block?.[1] === undefined) throw new Error(`no js code block after "${heading}"`);
  return block[1];
}

describe('docs/library.md', () => {
  it('its complete example runs against the built package and prints the run it made', () => {
    expect(existsSync(join(root, 'dist', 'index.js')), 'run `npm run build` first').toBe(true);
    const code = codeBlockAfter(
      readFileSync(join(root, 'docs', 'library.md'), 'utf8'),
      '## A complete example',
    );
    const project = mkdtempSync(join(tmpdir(), 'phasewise-library-user-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(root, join(project, 'node_modules', 'phasewise'), 'dir');
    writeFileSync(
      join(project, 'package.json'),
      '{ "type": "module", "dependencies": { "phasewise": "*" } }\n',
    );
    writeFileSync(join(project, 'example.mjs'), code);
    const result = spawnSync(process.execPath, ['example.mjs'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^research: passed$/m);
    expect(result.stdout).toMatch(/^run \S+: succeeded \(exit code 0\)$/m);
    expect(result.stdout).toMatch(/^cost: \$0\.\d{4}$/m);
    expect(result.stdout).toMatch(/^## File map$/m);
    expect(result.stdout).toMatch(/^gates journaled: 1$/m);
  });
});
