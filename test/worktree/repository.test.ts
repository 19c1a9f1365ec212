/**
 * Which workspaces a fanned-out phase can use: the top of a work tree, or a folder inside one (then worktrees
 * are of the whole repository and an item works in the same folder); not a folder outside git, nor one the
 * repository ignores.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorktreeError } from '../../src/errors/index.js';
import { requireRepository, workspaceIn } from '../../src/worktree/index.js';
import { repositoryWith, temporaryFolder } from './git-repository.js';

describe('requireRepository', () => {
  it('takes the top of a work tree', async () => {
    const top = repositoryWith({ 'a.txt': 'a\n' });
    expect(await requireRepository(top, 'implementation')).toEqual({ workspace: top, top, prefix: '' });
  });

  it('takes a folder inside one, and places the item workspace in the same folder of a worktree', async () => {
    const top = repositoryWith({ 'packages/app/a.txt': 'a\n' });
    const repository = await requireRepository(join(top, 'packages/app'), 'implementation');
    expect(repository).toEqual({ workspace: join(top, 'packages/app'), top, prefix: 'packages/app/' });
    expect(workspaceIn('/w/item', repository)).toBe('/w/item/packages/app');
  });

  it('refuses a folder outside git, saying how to make it a repository or turn fan-out off', async () => {
    const plain = temporaryFolder();
    const error = await requireRepository(plain, 'implementation').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorktreeError);
    expect(error).toMatchObject({ code: 'not_a_repository', exitCode: 2 });
    expect((error as Error).message).toBe(
      'phase `implementation` fans out over work items, each in its own git worktree, so the workspace must be a ' +
        `git repository: run \`git init && git add -A && git commit -m init\` in ${plain}, or set \`fan_out: off\``,
    );
  });

  it('refuses a folder the repository ignores', async () => {
    const top = repositoryWith({ '.gitignore': 'scratch/\n' });
    mkdirSync(join(top, 'scratch'));
    await expect(requireRepository(join(top, 'scratch'), 'build')).rejects.toMatchObject({
      code: 'not_a_repository',
      message: expect.stringContaining('is in a folder its repository ignores'),
    });
  });
});
