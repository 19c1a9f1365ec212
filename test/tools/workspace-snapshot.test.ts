/**
 * Snapshots of real workspaces: a git repository (through a temporary index, never the user's) and a plain
 * directory (file hashes). Each must see additions, changes and deletions, and neither ignored files nor
 * phasewise's own `.phasewise/`.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedSince, snapshotWorkspace } from '../../src/tools/workspace-snapshot.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function directory(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-snapshot-test-')));
  created.push(dir);
  write(dir, files);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

const initial = {
  'src/a.js': 'a\n',
  'src/b.js': 'b\n',
  'README.md': '# r\n',
  '.gitignore': 'build/\n*.log\n',
  'build/out.js': 'built\n',
};

/** Adds, modifies and deletes one file each, and touches only ignored and phasewise files otherwise. */
function changeEverything(dir: string): void {
  write(dir, {
    'src/new.js': 'new\n',
    'src/a.js': 'a changed\n',
    'build/out.js': 'rebuilt\n',
    'debug.log': 'noise\n',
    '.phasewise/runs.db': 'journal\n',
  });
  unlinkSync(join(dir, 'src/b.js'));
}

describe.each([
  ['a git repository', true],
  ['a plain directory', false],
])('snapshots of %s', (_label, inGit) => {
  function workspace(): string {
    const dir = directory(initial);
    if (inGit) {
      git(dir, 'init', '-q');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', 'initial');
    }
    return dir;
  }

  it('sees additions, changes and deletions, not ignored files or .phasewise/', async () => {
    const dir = workspace();
    const snapshot = await snapshotWorkspace(dir);
    expect(snapshot.kind).toBe(inGit ? 'git' : 'files');
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(await changedSince(dir, snapshot)).toEqual([]);
    changeEverything(dir);
    expect(await changedSince(dir, snapshot)).toEqual(['src/a.js', 'src/b.js', 'src/new.js']);
  });

  it('sees a file changed back as unchanged, and a new hidden file as changed', async () => {
    const dir = workspace();
    const snapshot = await snapshotWorkspace(dir);
    write(dir, { 'README.md': 'other\n' });
    write(dir, { 'README.md': '# r\n', '.env.example': 'X=1\n' });
    expect(await changedSince(dir, snapshot)).toEqual(['.env.example']);
  });

  it('handles an empty workspace', async () => {
    const dir = directory({});
    if (inGit) git(dir, 'init', '-q');
    const snapshot = await snapshotWorkspace(dir);
    write(dir, { 'first.txt': '1\n' });
    expect(await changedSince(dir, snapshot)).toEqual(['first.txt']);
  });
});

describe('snapshots in git', () => {
  it("never touch the user's index, HEAD or staged changes", async () => {
    const dir = directory(initial);
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    write(dir, { 'src/a.js': 'staged\n' });
    git(dir, 'add', 'src/a.js');
    write(dir, { 'src/a.js': 'staged then edited\n', 'untracked.txt': 'u\n' });
    const before = {
      index: readFileSync(join(dir, '.git/index')),
      head: git(dir, 'rev-parse', 'HEAD'),
      status: git(dir, 'status', '--porcelain'),
      staged: git(dir, 'diff', '--cached', '--name-only'),
    };
    const snapshot = await snapshotWorkspace(dir);
    changeEverything(dir);
    await changedSince(dir, snapshot);
    expect(readFileSync(join(dir, '.git/index')).equals(before.index)).toBe(true);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(before.head);
    expect(git(dir, 'diff', '--cached', '--name-only')).toBe(before.staged);
    expect(before.status).toContain('MM src/a.js');
  });

  it('reports paths relative to a workspace below the top of the repository, and only inside it', async () => {
    const dir = directory({ 'app/src/a.js': 'a\n', 'other/b.js': 'b\n' });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    const workspace = join(dir, 'app');
    const snapshot = await snapshotWorkspace(workspace);
    expect(snapshot).toMatchObject({ kind: 'git', prefix: 'app/' });
    write(dir, { 'app/src/a.js': 'changed\n', 'app/new.js': 'n\n', 'other/b.js': 'changed\n' });
    expect(await changedSince(workspace, snapshot)).toEqual(['new.js', 'src/a.js']);
  });

  it('falls back to file hashes for a workspace the repository ignores', async () => {
    const dir = directory({ '.gitignore': 'scratch/\n', 'scratch/a.txt': 'a\n' });
    git(dir, 'init', '-q');
    const workspace = join(dir, 'scratch');
    const snapshot = await snapshotWorkspace(workspace);
    expect(snapshot.kind).toBe('files');
    write(workspace, { 'a.txt': 'b\n' });
    expect(await changedSince(workspace, snapshot)).toEqual(['a.txt']);
  });
});
