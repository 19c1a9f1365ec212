/**
 * What every git call of the worktree layer guarantees: the repository's hooks never run, a failure names the
 * command and git's message, and the run's AbortSignal stops git.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorktreeError } from '../../src/errors/index.js';
import {
  commitAll,
  createWorktree,
  mergeBranch,
  requireRepository,
  snapshotCommit,
} from '../../src/worktree/index.js';
import { DATE, repositoryWith, write } from './git-repository.js';

async function itemWorktree(top: string) {
  const repository = await requireRepository(top, 'implementation');
  const commit = await snapshotCommit(repository, { message: 'start', date: DATE });
  return createWorktree({ repository, runId: 'run1', phaseId: 'implementation', name: 'api', commit });
}

describe('the git runner', () => {
  it('never runs the repository’s hooks', async () => {
    const top = repositoryWith({ 'a.txt': 'a\n' });
    const witness = join(top, 'hook-ran');
    for (const hook of ['pre-commit', 'commit-msg', 'post-commit', 'post-checkout']) {
      write(top, { [`.git/hooks/${hook}`]: `#!/bin/sh\ntouch '${witness}'\n` });
      chmodSync(join(top, `.git/hooks/${hook}`), 0o755);
    }
    const path = await itemWorktree(top);
    write(path, { 'b.txt': 'b\n' });
    await commitAll(path, { message: 'item', date: DATE });
    expect(existsSync(witness)).toBe(false);
  });

  it('names the command and git’s message when git fails', async () => {
    const path = await itemWorktree(repositoryWith({ 'a.txt': 'a\n' }));
    const error = await mergeBranch(path, 'no-such-commit', { message: 'm', date: DATE }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorktreeError);
    expect(error).toMatchObject({ code: 'git_failed', exitCode: 1 });
    expect((error as WorktreeError).command).toContain('git merge --no-ff');
    expect((error as Error).message).toMatch(
      /`git merge .*no-such-commit` failed in .*: merge: no-such-commit - not something we can merge/,
    );
  });

  it('stops git when the run is aborted', async () => {
    const top = repositoryWith({ 'a.txt': 'a\n' });
    const repository = await requireRepository(top, 'implementation');
    const controller = new AbortController();
    controller.abort(new Error('run stopped'));
    await expect(
      snapshotCommit(repository, { message: 's', date: DATE, signal: controller.signal }),
    ).rejects.toThrow('run stopped');
  });
});
