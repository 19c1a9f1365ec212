/**
 * Items merged in the phase's merge worktree and the result brought into the user's workspace: separate files
 * merge cleanly and both arrive as uncommitted changes; the same lines conflict, name the file and stay
 * conflicted for a merge turn; a merge is concluded only once no marker is left, or aborted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  abortMerge,
  applyResult,
  commitAll,
  concludeMerge,
  createWorktree,
  MERGE_WORKTREE,
  mergeBranch,
  requireRepository,
  snapshotCommit,
  workspaceIn,
} from '../../src/worktree/index.js';
import { DATE, git, head, read, repositoryWith, status, write } from './git-repository.js';

const options = (message: string) => ({ message, date: DATE });

/** A phase started over `files` (with `pending` uncommitted in the workspace), and a way to build items. */
async function phase(files: Record<string, string>, pending: Record<string, string> = {}, folder = '') {
  const top = repositoryWith(files);
  write(top, pending);
  const repository = await requireRepository(join(top, folder), 'implementation');
  const base = await snapshotCommit(repository, options('start'));
  const worktree = (name: string) =>
    createWorktree({ repository, runId: 'run1', phaseId: 'implementation', name, commit: base });
  /** An item that writes `changes` (relative to the workspace) in its own worktree, committed. */
  const item = async (name: string, changes: Record<string, string>) => {
    const path = await worktree(name);
    write(workspaceIn(path, repository), changes);
    return commitAll(path, options(`item ${name}`));
  };
  return { top, repository, base, item, merge: () => worktree(MERGE_WORKTREE) };
}

const lines = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n';

describe('merging items', () => {
  it('merges items that change different files, and brings both into the working tree uncommitted', async () => {
    const { top, repository, base, item, merge } = await phase(
      { 'a.txt': lines, 'b.txt': lines },
      { 'notes.txt': 'mine\n' },
    );
    const api = await item('api', { 'a.txt': lines.replace('two', 'TWO'), 'api.txt': 'api\n' });
    const ui = await item('ui', { 'b.txt': lines.replace('six', 'SIX') });
    const mergePath = await merge();
    expect(await mergeBranch(mergePath, api, options('merge api'))).toMatchObject({ merged: true });
    const merged = await mergeBranch(mergePath, ui, options('merge ui'));
    expect(merged).toEqual({ merged: true, commit: head(mergePath) });
    const userHead = head(top);

    const applied = await applyResult(repository, base, head(mergePath));

    expect(applied).toEqual(['a.txt', 'api.txt', 'b.txt']);
    expect(read(top, 'a.txt')).toBe(lines.replace('two', 'TWO'));
    expect(read(top, 'b.txt')).toBe(lines.replace('six', 'SIX'));
    expect(head(top)).toBe(userHead);
    expect(status(top)).toBe(' M a.txt\n M b.txt\n?? api.txt\n?? notes.txt\n');
  });

  it('reports a conflict on the same lines, naming the file, and leaves it for a merge turn', async () => {
    const { item, merge } = await phase({ 'a.txt': lines, 'b.txt': lines });
    const api = await item('api', { 'a.txt': lines.replace('three', 'THREE from api') });
    const ui = await item('ui', { 'a.txt': lines.replace('three', 'Three from ui'), 'b.txt': 'ui\n' });
    const mergePath = await merge();
    await mergeBranch(mergePath, api, options('merge api'));
    expect(await mergeBranch(mergePath, ui, options('merge ui'))).toEqual({
      merged: false,
      conflicts: ['a.txt'],
    });
    const conflicted = read(mergePath, 'a.txt');
    expect(conflicted).toContain('<<<<<<< HEAD\nTHREE from api\n||||||| ');
    expect(conflicted).toContain('=======\nThree from ui\n>>>>>>> ');
    // A second merge while this one is open is refused, naming the file still unmerged.
    await expect(mergeBranch(mergePath, api, options('again'))).rejects.toMatchObject({
      code: 'merge_unresolved',
      files: ['a.txt'],
    });
  });

  it('refuses to conclude while markers remain, and concludes once they are gone', async () => {
    const { item, merge } = await phase({ 'a.txt': lines });
    const api = await item('api', { 'a.txt': lines.replace('three', 'api') });
    const ui = await item('ui', { 'a.txt': lines.replace('three', 'ui') });
    const mergePath = await merge();
    const first = (await mergeBranch(mergePath, api, options('merge api'))) as { commit: string };
    await mergeBranch(mergePath, ui, options('merge ui'));
    const halfDone = read(mergePath, 'a.txt').replace(/\|{7}[\s\S]*?={7}\n/, '');
    write(mergePath, { 'a.txt': halfDone });
    const refused = await concludeMerge(mergePath, options('resolved')).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'merge_unresolved', exitCode: 3, files: ['a.txt'] });
    expect((refused as Error).message).toContain('conflict markers remain in a.txt');
    // Nothing was staged: git still holds the file as unmerged.
    expect(git(mergePath, 'diff', '--name-only', '--diff-filter=U')).toBe('a.txt\n');

    write(mergePath, { 'a.txt': lines.replace('three', 'api and ui') });
    const commit = await concludeMerge(mergePath, options('resolved'));
    expect(git(mergePath, 'rev-list', '--parents', '-n', '1', commit).trim().split(' ')).toEqual([
      commit,
      first.commit,
      ui,
    ]);
    expect(git(mergePath, 'show', `${commit}:a.txt`)).toBe(lines.replace('three', 'api and ui'));
    // Concluding again (a resume) changes nothing.
    expect(await concludeMerge(mergePath, options('resolved'))).toBe(commit);
  });

  it('aborts a conflicted merge back to the last merged commit', async () => {
    const { item, merge } = await phase({ 'a.txt': lines });
    const api = await item('api', { 'a.txt': lines.replace('three', 'api') });
    const ui = await item('ui', { 'a.txt': lines.replace('three', 'ui') });
    const mergePath = await merge();
    const { commit } = (await mergeBranch(mergePath, api, options('merge api'))) as { commit: string };
    await mergeBranch(mergePath, ui, options('merge ui'));
    await abortMerge(mergePath);
    expect(head(mergePath)).toBe(commit);
    expect(status(mergePath)).toBe('');
    await abortMerge(mergePath);
  });
});

describe('applyResult', () => {
  it('applies deletions, renames and binary files', async () => {
    const binary = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]);
    const text = `${'a long enough line to keep a rename recognisable\n'.repeat(8)}`;
    const { top, repository, base, merge } = await phase({
      'gone.txt': 'bye\n',
      'old/name.txt': text,
      'data.bin': 'x',
    });
    const path = await merge();
    git(path, 'rm', '--quiet', 'gone.txt');
    git(path, 'mv', 'old/name.txt', 'new-name.txt');
    write(path, {
      'data.bin': binary,
      'latin1.txt': Buffer.from('caf\xe9\n', 'latin1'),
    });
    const result = await commitAll(path, options('changes'));
    expect(await applyResult(repository, base, result)).toEqual([
      'data.bin',
      'gone.txt',
      'latin1.txt',
      'new-name.txt',
      'old/name.txt',
    ]);
    expect(existsSync(join(top, 'gone.txt'))).toBe(false);
    expect(existsSync(join(top, 'old/name.txt'))).toBe(false);
    expect(read(top, 'new-name.txt')).toBe(text);
    expect(readFileSync(join(top, 'data.bin'))).toEqual(binary);
    expect(readFileSync(join(top, 'latin1.txt'))).toEqual(Buffer.from('caf\xe9\n', 'latin1'));
    // Applying again (a resume after the files were written) is not an error and changes nothing.
    expect(await applyResult(repository, base, result)).toHaveLength(5);
    expect(read(top, 'new-name.txt')).toBe(text);
  });

  it('refuses, changing nothing, when a file the result touches was edited since the phase started', async () => {
    const { top, repository, base, item } = await phase({ 'a.txt': lines, 'b.txt': lines });
    const result = await item('api', {
      'a.txt': lines.replace('two', 'TWO'),
      'b.txt': lines.replace('six', 'SIX'),
    });
    write(top, { 'b.txt': lines.replace('seven', 'SEVEN by the user') });
    const refused = await applyResult(repository, base, result).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'workspace_changed', exitCode: 2, files: ['b.txt'] });
    expect(read(top, 'a.txt')).toBe(lines);
    expect(read(top, 'b.txt')).toBe(lines.replace('seven', 'SEVEN by the user'));
  });

  it('refuses, changing nothing, a result that changes a governing file (inside a workspace folder too)', async () => {
    const { top, repository, base, item } = await phase(
      { 'app/a.txt': lines, 'app/ci/pw.yaml': 'budget: 1\n' },
      {},
      'app',
    );
    const result = await item('api', { 'a.txt': 'changed\n', 'ci/pw.yaml': 'budget: 1000\n' });
    const refused = await applyResult(repository, base, result, { governing: ['ci/pw.yaml'] }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'governing_file', exitCode: 3, files: ['app/ci/pw.yaml'] });
    expect(read(top, 'app/ci/pw.yaml')).toBe('budget: 1\n');
    expect(read(top, 'app/a.txt')).toBe(lines);
    // Without the file among the governing ones, the same result applies.
    expect(await applyResult(repository, base, result)).toEqual(['app/a.txt', 'app/ci/pw.yaml']);
  });

  it('in a workspace inside a repository, items work in the same folder and only it is brought over', async () => {
    const { top, repository, base, item, merge } = await phase(
      { 'app/a.txt': lines, 'lib/b.txt': lines },
      {},
      'app',
    );
    const api = await item('api', { 'a.txt': lines.replace('one', 'ONE'), 'new.txt': 'new\n' });
    const mergePath = await merge();
    expect(existsSync(join(mergePath, 'lib/b.txt'))).toBe(true);
    write(mergePath, { 'lib/b.txt': 'outside the workspace\n' });
    await commitAll(mergePath, options('outside'));
    await mergeBranch(mergePath, api, options('merge api'));
    expect(await applyResult(repository, base, head(mergePath))).toEqual(['app/a.txt', 'app/new.txt']);
    expect(read(top, 'app/a.txt')).toBe(lines.replace('one', 'ONE'));
    expect(read(top, 'lib/b.txt')).toBe(lines);
    expect(status(top)).toBe(' M app/a.txt\n?? app/new.txt\n');
  });
});
