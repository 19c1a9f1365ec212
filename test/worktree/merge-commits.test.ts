/**
 * Merging items without a worktree: a clean merge is a commit of the merged tree with both parents, on the branch
 * the caller names, and no file is checked out anywhere; a conflict changes nothing and says so, for the caller to
 * merge in a worktree. The same merge on the same date is the same commit, as a resume needs.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyResult,
  commitAll,
  createWorktree,
  MERGE_WORKTREE,
  mergeCommits,
  requireRepository,
  snapshotCommit,
  workspaceIn,
  worktreePath,
} from '../../src/worktree/index.js';
import { DATE, filesOf, git, read, repositoryWith, write } from './git-repository.js';

const BRANCH = 'phasewise-lanes/run1/implementation/merge';
const lines = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n';

async function phase(files: Record<string, string>) {
  const top = repositoryWith(files);
  const repository = await requireRepository(top, 'implementation');
  const base = await snapshotCommit(repository, { message: 'start', date: DATE });
  const item = async (name: string, changes: Record<string, string>) => {
    const path = await createWorktree({
      repository,
      runId: 'run1',
      phaseId: 'implementation',
      name,
      commit: base,
    });
    write(workspaceIn(path, repository), changes);
    return commitAll(path, { message: `item ${name}`, date: DATE });
  };
  const merge = (head: string, commit: string, message: string) =>
    mergeCommits(top, head, commit, { message, date: DATE, branch: BRANCH });
  const mergeFolder = worktreePath(top, { runId: 'run1', phaseId: 'implementation', name: MERGE_WORKTREE });
  return { top, repository, base, item, merge, mergeFolder };
}

const parents = (top: string, commit: string) =>
  git(top, 'rev-list', '--parents', '-n', '1', commit).trim().split(' ').slice(1);

describe('mergeCommits', () => {
  it('merges items that change different files into a commit of both, on the branch, with no worktree', async () => {
    const { top, repository, base, item, merge, mergeFolder } = await phase({
      'a.txt': lines,
      'b.txt': lines,
    });
    const api = await item('api', { 'a.txt': lines.replace('two', 'TWO'), 'api.txt': 'api\n' });
    const ui = await item('ui', { 'b.txt': lines.replace('six', 'SIX') });

    const first = await merge(base, api, 'merge api');
    if (!first.merged) throw new Error('api did not merge');
    const second = await merge(first.commit, ui, 'merge ui');
    if (!second.merged) throw new Error('ui did not merge');

    expect(parents(top, first.commit)).toEqual([base, api]);
    expect(parents(top, second.commit)).toEqual([first.commit, ui]);
    expect(git(top, 'log', '-1', '--format=%s', second.commit).trim()).toBe('merge ui');
    expect(filesOf(top, second.commit)).toEqual(['a.txt', 'api.txt', 'b.txt']);
    expect(git(top, 'rev-parse', BRANCH).trim()).toBe(second.commit);
    expect(existsSync(mergeFolder)).toBe(false);
    await applyResult(repository, base, second.commit);
    expect(read(top, 'a.txt')).toBe(lines.replace('two', 'TWO'));
    expect(read(top, 'b.txt')).toBe(lines.replace('six', 'SIX'));
  });

  it('reports a conflict on the same lines and changes nothing', async () => {
    const { top, base, item, merge, mergeFolder } = await phase({ 'a.txt': lines });
    const api = await item('api', { 'a.txt': lines.replace('three', 'api') });
    const ui = await item('ui', { 'a.txt': lines.replace('three', 'ui') });
    const first = await merge(base, api, 'merge api');
    if (!first.merged) throw new Error('api did not merge');

    expect(await merge(first.commit, ui, 'merge ui')).toEqual({ merged: false });
    expect(git(top, 'rev-parse', BRANCH).trim()).toBe(first.commit);
    expect(existsSync(mergeFolder)).toBe(false);
  });

  it('makes the same commit for the same merge on the same date', async () => {
    const { base, item, merge } = await phase({ 'a.txt': lines });
    const api = await item('api', { 'api.txt': 'api\n' });
    const once = await merge(base, api, 'merge api');
    const again = await merge(base, api, 'merge api');
    expect(once.merged && again.merged && once.commit === again.commit).toBe(true);
  });
});
