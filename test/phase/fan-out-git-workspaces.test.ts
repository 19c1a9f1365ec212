/**
 * The git side of a fan-out as its lanes use it: lanes opened side by side, merged without a merge worktree,
 * a merged lane's worktree and branch removed while another lane is still opening, and the merged result still
 * applied whole — its commits are kept by the merge branch. A conflict takes the merge worktree, for a turn.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitWorkspaces } from '../../src/phase/fan-out/git-workspaces.js';
import { requireRepository, worktreePath } from '../../src/worktree/index.js';
import { git, read, repositoryWith, write } from '../worktree/git-repository.js';

const lines = 'one\ntwo\nthree\nfour\n';

async function fanOutIn(files: Record<string, string>) {
  const top = repositoryWith(files);
  const repository = await requireRepository(top, 'implementation');
  const clock = { now: () => Date.parse('2026-01-02T03:04:05Z') };
  const workspaces = gitWorkspaces({
    repository,
    runId: 'run1',
    phaseId: 'implementation',
    clock,
    signal: new AbortController().signal,
  });
  const folder = (lane: string) =>
    worktreePath(top, { runId: 'run1', phaseId: 'implementation', name: lane });
  const branches = () =>
    git(top, 'branch', '--list', 'phasewise-lanes/*', '--format=%(refname:short)').trim();
  return { top, workspaces, folder, branches };
}

describe('a fan-out’s git workspaces', () => {
  it('merges lanes without a merge worktree and removes a merged lane while another opens', async () => {
    const { top, workspaces, folder, branches } = await fanOutIn({ 'a.txt': lines });
    const base = await workspaces.snapshot();
    const [api, ui] = await Promise.all([
      workspaces.open('item-api', base),
      workspaces.open('item-ui', base),
    ]);
    write(api, { 'api.txt': 'api\n' });
    write(ui, { 'ui.txt': 'ui\n' });
    const apiCommit = await workspaces.commit('item-api', 'api');
    const uiCommit = await workspaces.commit('item-ui', 'ui');

    const first = await workspaces.merge(base, apiCommit, 'merge api');
    if (!first.merged) throw new Error('api did not merge');
    // The merged lane goes while a third lane is being registered.
    await Promise.all([workspaces.close('item-api'), workspaces.open('item-docs', base)]);
    const second = await workspaces.merge(first.commit, uiCommit, 'merge ui');
    if (!second.merged) throw new Error('ui did not merge');

    expect(existsSync(folder('merge'))).toBe(false);
    expect(existsSync(folder('item-api'))).toBe(false);
    expect(existsSync(folder('item-docs'))).toBe(true);
    expect(branches()).not.toContain('phasewise-lanes/run1/implementation/item-api');
    expect(git(top, 'rev-parse', 'phasewise-lanes/run1/implementation/merge').trim()).toBe(second.commit);
    await workspaces.apply(base, second.commit, []);
    expect(read(top, 'api.txt')).toBe('api\n');
    expect(read(top, 'ui.txt')).toBe('ui\n');
    await workspaces.removeAll();
    expect(branches()).toBe('');
  });

  it('leaves a conflict in the merge worktree for a turn to resolve', async () => {
    const { workspaces, folder } = await fanOutIn({ 'a.txt': lines });
    const base = await workspaces.snapshot();
    const [api, ui] = await Promise.all([
      workspaces.open('item-api', base),
      workspaces.open('item-ui', base),
    ]);
    write(api, { 'a.txt': lines.replace('two', 'api') });
    write(ui, { 'a.txt': lines.replace('two', 'ui') });
    const first = await workspaces.merge(base, await workspaces.commit('item-api', 'api'), 'merge api');
    if (!first.merged) throw new Error('api did not merge');

    const second = await workspaces.merge(first.commit, await workspaces.commit('item-ui', 'ui'), 'merge ui');

    expect(second).toEqual({ merged: false, conflicts: ['a.txt'] });
    expect(read(folder('merge'), 'a.txt')).toContain('<<<<<<<');
    write(folder('merge'), { 'a.txt': lines.replace('two', 'api and ui') });
    const resolved = await workspaces.concludeMerge('merge ui');
    expect(git(folder('merge'), 'show', `${resolved}:a.txt`)).toBe(lines.replace('two', 'api and ui'));
  });
});
