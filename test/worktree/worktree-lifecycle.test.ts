/**
 * An item's worktree from creation to removal: made at the phase's commit on its own branch, invisible to the
 * user's `git status` and to the next snapshot, committed to, recreated at the recorded commit on resume (whether
 * it is still there with changes, or gone), measured, and removed with its branch.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanDeadRuns,
  commitAll,
  createWorktree,
  diskUse,
  listWorktrees,
  type Repository,
  removeRunWorktrees,
  removeWorktree,
  requireRepository,
  snapshotCommit,
} from '../../src/worktree/index.js';
import { DATE, filesOf, git, head, read, repositoryWith, status, write } from './git-repository.js';

async function started(files: Record<string, string> = { 'a.txt': 'a\n' }) {
  const top = repositoryWith(files);
  const repository = await requireRepository(top, 'implementation');
  const base = await snapshotCommit(repository, { message: 'start', date: DATE });
  const item = (name: string, runId = 'run1') => ({
    repository,
    runId,
    phaseId: 'implementation',
    name,
    commit: base,
  });
  return { top, repository, base, item };
}

const branches = (repository: Repository) =>
  git(repository.top, 'branch', '--list', 'phasewise-lanes/*', '--format=%(refname:short)')
    .split('\n')
    .filter(Boolean);

describe('createWorktree and commitAll', () => {
  it('makes a worktree on its own branch at the commit, unseen by git status and the next snapshot', async () => {
    const { top, repository, base, item } = await started();
    const path = await createWorktree(item('api'));
    expect(path).toBe(join(top, '.phasewise/worktrees/run1/implementation/api'));
    expect(head(path)).toBe(base);
    expect(git(path, 'branch', '--show-current').trim()).toBe('phasewise-lanes/run1/implementation/api');
    write(path, { 'b.txt': 'b\n' });
    expect(status(top)).toBe('');
    const next = await snapshotCommit(repository, { message: 'again', date: DATE });
    expect(filesOf(top, next)).toEqual(['a.txt']);
  });

  it("makes lanes in a checkout that is on the run's own result branch (a pool worker's), and removes only theirs", async () => {
    const { top, repository, item } = await started();
    git(top, 'checkout', '-q', '-b', 'phasewise/run1');
    const path = await createWorktree(item('api'));
    expect(git(path, 'branch', '--show-current').trim()).toBe('phasewise-lanes/run1/implementation/api');
    await removeRunWorktrees(repository, 'run1');
    expect(branches(repository)).toEqual([]);
    expect(git(top, 'branch', '--show-current').trim()).toBe('phasewise/run1');
  });

  it('still removes a lane branch of the name earlier versions gave it (phasewise/<run>/<phase>/<item>)', async () => {
    const { top, repository } = await started();
    git(top, 'branch', 'phasewise/run1/implementation/old');
    git(top, 'branch', 'phasewise/run2');
    await removeRunWorktrees(repository, 'run1');
    expect(git(top, 'branch', '--list', 'phasewise/*', '--format=%(refname:short)').trim()).toBe(
      'phasewise/run2',
    );
  });

  it('commits every change, and makes no empty commit when nothing changed', async () => {
    const { base, item } = await started({ 'a.txt': 'a\n', 'old.txt': 'old\n' });
    const path = await createWorktree(item('api'));
    expect(await commitAll(path, { message: 'nothing', date: DATE })).toBe(base);
    write(path, { 'a.txt': 'a2\n', 'new.txt': 'new\n', '.phasewise/x': 'own files\n' });
    rmSync(join(path, 'old.txt'));
    const commit = await commitAll(path, { message: 'item api', date: DATE });
    expect(commit).not.toBe(base);
    expect(git(path, 'rev-parse', `${commit}^`).trim()).toBe(base);
    expect(filesOf(path, commit)).toEqual(['a.txt', 'new.txt']);
    expect(await commitAll(path, { message: 'again', date: DATE })).toBe(commit);
  });

  it('on resume, resets a worktree that is still there to the recorded commit', async () => {
    const { base, item } = await started();
    const path = await createWorktree(item('api'));
    write(path, { 'a.txt': 'changed\n', 'untracked.txt': 'u\n' });
    const recorded = await commitAll(path, { message: 'item', date: DATE });
    write(path, { 'a.txt': 'changed after\n', 'later.txt': 'l\n' });
    expect(await createWorktree({ ...item('api'), commit: recorded })).toBe(path);
    expect(head(path)).toBe(recorded);
    expect(status(path)).toBe('');
    expect(read(path, 'a.txt')).toBe('changed\n');
    expect(existsSync(join(path, 'later.txt'))).toBe(false);
    await createWorktree({ ...item('api'), commit: base });
    expect(read(path, 'a.txt')).toBe('a\n');
  });

  it('on resume, recreates a worktree whose folder was removed, at the recorded commit', async () => {
    const { top, item } = await started();
    const path = await createWorktree(item('api'));
    write(path, { 'b.txt': 'b\n' });
    const recorded = await commitAll(path, { message: 'item', date: DATE });
    rmSync(path, { recursive: true, force: true });
    expect(await createWorktree({ ...item('api'), commit: recorded })).toBe(path);
    expect(head(path)).toBe(recorded);
    expect(read(path, 'b.txt')).toBe('b\n');
    expect(git(top, 'worktree', 'list', '--porcelain')).toContain(`worktree ${path}\n`);
    expect(git(top, 'worktree', 'list', '--porcelain')).not.toContain('prunable');
  });

  it('replaces a folder left half-made', async () => {
    const { base, item } = await started();
    const made = await createWorktree(item('api'));
    rmSync(join(made, '.git'));
    write(made, { 'stray.txt': 's\n' });
    await createWorktree(item('api'));
    expect(head(made)).toBe(base);
    expect(existsSync(join(made, 'stray.txt'))).toBe(false);
  });
});

describe('listing and removing worktrees', () => {
  it('measures each worktree, and removing it frees the space and deletes its branch', async () => {
    const { top, repository, item } = await started({ 'a.txt': 'a'.repeat(20_000) });
    const api = await createWorktree(item('api'));
    await createWorktree(item('ui'));
    const listed = await listWorktrees(top);
    expect(listed.map(({ runId, phaseId, name }) => `${runId}/${phaseId}/${name}`)).toEqual([
      'run1/implementation/api',
      'run1/implementation/ui',
    ]);
    expect(listed[0]!.bytes).toBeGreaterThan(20_000);
    expect(listed[0]!.bytes).toBe(await diskUse(api));
    await removeWorktree(repository, { runId: 'run1', phaseId: 'implementation', name: 'api' });
    expect(existsSync(api)).toBe(false);
    expect(await diskUse(api)).toBe(0);
    expect(branches(repository)).toEqual(['phasewise-lanes/run1/implementation/ui']);
    expect(git(top, 'worktree', 'list')).not.toContain(api);
  });

  it('removes a worktree whose folder is already gone', async () => {
    const { top, repository, item } = await started();
    const path = await createWorktree(item('api'));
    rmSync(path, { recursive: true, force: true });
    await removeWorktree(repository, { runId: 'run1', phaseId: 'implementation', name: 'api' });
    expect(git(top, 'worktree', 'list')).not.toContain(path);
    expect(branches(repository)).toEqual([]);
  });

  it('removes a run, and cleans only the runs that are over', async () => {
    const { top, repository, item } = await started();
    await createWorktree(item('api', 'old'));
    await createWorktree(item('merge', 'old'));
    await createWorktree(item('api', 'live'));
    await createWorktree(item('api', 'done'));
    const freed = await removeRunWorktrees(repository, 'old');
    expect(freed).toBeGreaterThan(0);
    expect(existsSync(join(top, '.phasewise/worktrees/old'))).toBe(false);
    const cleaned = await cleanDeadRuns(repository, (runId) => runId !== 'live');
    expect(cleaned.map((run) => run.runId)).toEqual(['done']);
    expect(cleaned[0]!.bytes).toBeGreaterThan(0);
    expect((await listWorktrees(top)).map((entry) => entry.runId)).toEqual(['live']);
    expect(branches(repository)).toEqual(['phasewise-lanes/live/implementation/api']);
    expect(status(top)).toBe('');
  });

  it('refuses an id that cannot name a folder and a branch', async () => {
    const { item } = await started();
    await expect(createWorktree(item('../escape'))).rejects.toMatchObject({
      code: 'invalid_name',
      exitCode: 2,
    });
    await expect(createWorktree(item('a/b'))).rejects.toMatchObject({ code: 'invalid_name' });
  });
});

describe('worktrees made side by side', () => {
  // Plain git fails about once in 60 when four `git worktree add` run at once in one repository.
  it('are all made, however many items start at once', async () => {
    const { repository, item } = await started();
    for (let round = 0; round < 4; round += 1) {
      const names = Array.from({ length: 8 }, (_, index) => `item-r${round}-${index}`);
      const paths = await Promise.all(names.map((name) => createWorktree(item(name))));
      for (const path of paths) expect(existsSync(join(path, 'a.txt'))).toBe(true);
    }
    expect(branches(repository)).toHaveLength(32);
  });
});
