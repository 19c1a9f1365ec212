/**
 * The in-process walk of a plain workspace against ripgrep's own listing with the same walking rules, on real
 * directories: it answers only with exactly ripgrep's files, and leaves every case an ignore rule, git metadata
 * or an odd name could change to ripgrep (undefined).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRipgrep, WALK_ARGS } from '../../src/tools/ripgrep.js';
import { walkPlainWorkspace } from '../../src/tools/workspace-walk.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function directory(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-walk-test-')));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function ripgrepFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  await runRipgrep(['--files', ...WALK_ARGS], {
    directory: { path: root },
    abortSignal: new AbortController().signal,
    onLine: (line) => files.push(line.replace(/^\.\//, '')) > 0,
  });
  return files.sort();
}

// A home of the test's own, so the user's global git excludes neither apply nor get in the way.
const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
let home: string;
beforeEach(() => {
  home = directory();
  process.env.HOME = home;
  delete process.env.XDG_CONFIG_HOME;
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('walkPlainWorkspace', () => {
  it("lists exactly ripgrep's files: hidden ones, nested ones, no links, no special files", async () => {
    const root = directory({
      'src/a.js': 'a\n',
      'src/deep/er/b.js': 'b\n',
      '.env.example': 'X=1\n',
      '.config/settings.json': '{}\n',
      '.phasewise/runs.db': 'journal\n',
      'nested/.phasewise/x': 'x\n',
      'README.md': '# r\n',
    });
    mkdirSync(join(root, 'empty'));
    symlinkSync('src/a.js', join(root, 'link-to-file'));
    symlinkSync('src', join(root, 'link-to-directory'));
    symlinkSync('/nonexistent', join(root, 'dangling'));
    execFileSync('mkfifo', [join(root, 'fifo')]);
    const walked = await walkPlainWorkspace(root);
    expect(walked?.sort()).toEqual(await ripgrepFiles(root));
    expect(walked).toContain('.env.example');
    expect(walked).toHaveLength(5);
  });

  it('lists an empty workspace as empty', async () => {
    const root = directory();
    expect(await walkPlainWorkspace(root)).toEqual([]);
    expect(await ripgrepFiles(root)).toEqual([]);
  });

  it.each([
    ['a .gitignore', { '.gitignore': 'build/\n', 'build/out.js': 'x\n' }],
    ['a nested .ignore', { 'a/.ignore': '*.log\n', 'a/x.log': 'x\n' }],
    ['a .rgignore', { '.rgignore': '*.tmp\n' }],
    ['a nested repository', { 'vendor/lib/.git/HEAD': 'ref: refs/heads/main\n' }],
    ['a .git file', { '.git': 'gitdir: /elsewhere\n' }],
    ['a name with a line break', { 'two\nlines.txt': 'x\n' }],
  ])('leaves a workspace with %s to ripgrep', async (_label, files) => {
    expect(await walkPlainWorkspace(directory(files))).toBeUndefined();
  });

  it('leaves a workspace below an ignore file to ripgrep', async () => {
    const parent = directory({
      '.gitignore': 'secret.txt\n',
      'inner/secret.txt': 's\n',
      'inner/a.txt': 'a\n',
    });
    const inner = join(parent, 'inner');
    expect(await walkPlainWorkspace(inner)).toBeUndefined();
    expect(await ripgrepFiles(inner)).toEqual(['a.txt']);
  });

  it("leaves everything to ripgrep while the user's git config names an excludes file, or the default one exists", async () => {
    const root = directory({ 'a.txt': 'a\n', 'b.log': 'b\n' });
    writeFileSync(join(home, '.gitconfig'), '[core]\n\texcludesFile = ~/.my-ignore\n');
    expect(await walkPlainWorkspace(root)).toBeUndefined();
    process.env.HOME = directory({ '.config/git/ignore': '*.log\n' });
    expect(await walkPlainWorkspace(root)).toBeUndefined();
    expect(await ripgrepFiles(root)).toEqual(['a.txt']);
  });
});
