/**
 * The commit a fanned-out phase starts at: the working tree as it is (untracked files in, ignored files and
 * `.phasewise/` out) on top of HEAD, made without the user's index, HEAD, branch or files changing, and the same
 * commit again for the same content and date.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireRepository, snapshotCommit } from '../../src/worktree/index.js';
import {
  DATE,
  filesOf,
  git,
  head,
  read,
  repositoryWith,
  status,
  temporaryFolder,
  write,
} from './git-repository.js';

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function userChanges(top: string): void {
  write(top, {
    'src/a.js': 'a changed\n',
    'src/new.js': 'new\n',
    'build/out.js': 'rebuilt\n',
    '.phasewise/journal.db': 'journal',
    'src/.phasewise/notes': 'phasewise notes',
  });
  git(top, 'rm', '--quiet', '--cached', 'README.md');
  git(top, 'add', 'src/a.js');
}

describe('snapshotCommit', () => {
  it('commits the working tree on top of HEAD without touching the index, HEAD, branch or files', async () => {
    const top = repositoryWith({
      'src/a.js': 'a\n',
      'README.md': '# r\n',
      '.gitignore': 'build/\n',
      'build/out.js': 'b\n',
    });
    userChanges(top);
    const before = {
      status: status(top),
      head: head(top),
      branch: git(top, 'branch', '--show-current'),
      index: digest(join(top, '.git/index')),
    };

    const commit = await snapshotCommit(await requireRepository(top, 'implementation'), {
      message: 'start',
      date: DATE,
    });

    expect({
      status: status(top),
      head: head(top),
      branch: git(top, 'branch', '--show-current'),
      index: digest(join(top, '.git/index')),
    }).toEqual(before);
    expect(read(top, 'src/a.js')).toBe('a changed\n');
    expect(git(top, 'rev-parse', `${commit}^`).trim()).toBe(before.head);
    // README.md was only removed from the index: the file is there, so the snapshot has it.
    expect(filesOf(top, commit)).toEqual(['.gitignore', 'README.md', 'src/a.js', 'src/new.js']);
    expect(git(top, 'show', `${commit}:src/a.js`)).toBe('a changed\n');
    expect(git(top, 'log', '-1', '--format=%an <%ae> %at %s', commit).trim()).toBe(
      `phasewise <phasewise@localhost> ${DATE.getTime() / 1000} start`,
    );
  });

  it('keeps a tracked file that the ignore rules also match', async () => {
    const top = repositoryWith({ 'kept.log': 'tracked\n', 'a.txt': 'a\n' });
    write(top, { '.gitignore': '*.log\n', 'new.log': 'ignored\n' });
    const commit = await snapshotCommit(await requireRepository(top, 'implementation'), {
      message: 's',
      date: DATE,
    });
    expect(filesOf(top, commit)).toEqual(['.gitignore', 'a.txt', 'kept.log']);
  });

  it('makes the same commit for the same content and date, and another for another date', async () => {
    const top = repositoryWith({ 'a.txt': 'a\n' });
    write(top, { 'b.txt': 'b\n' });
    const repository = await requireRepository(top, 'implementation');
    const first = await snapshotCommit(repository, { message: 'start', date: DATE });
    expect(await snapshotCommit(repository, { message: 'start', date: DATE })).toBe(first);
    expect(
      await snapshotCommit(repository, { message: 'start', date: new Date(DATE.getTime() + 1000) }),
    ).not.toBe(first);
  });

  it('makes a commit without a parent in a repository with no commit yet', async () => {
    const top = temporaryFolder();
    git(top, 'init', '--quiet');
    write(top, { 'a.txt': 'a\n' });
    const commit = await snapshotCommit(await requireRepository(top, 'implementation'), {
      message: 's',
      date: DATE,
    });
    expect(git(top, 'rev-list', '--parents', '-n', '1', commit).trim()).toBe(commit);
    expect(filesOf(top, commit)).toEqual(['a.txt']);
    expect(status(top)).toBe('?? a.txt\n');
  });

  it('snapshots the whole repository when the workspace is a folder inside it', async () => {
    const top = repositoryWith({ 'app/a.txt': 'a\n', 'lib/b.txt': 'b\n' });
    write(top, { 'lib/c.txt': 'c\n', 'app/d.txt': 'd\n' });
    const commit = await snapshotCommit(await requireRepository(join(top, 'app'), 'implementation'), {
      message: 's',
      date: DATE,
    });
    expect(filesOf(top, commit)).toEqual(['app/a.txt', 'app/d.txt', 'lib/b.txt', 'lib/c.txt']);
  });
});
