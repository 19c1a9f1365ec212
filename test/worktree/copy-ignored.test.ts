/**
 * The workspace's git-ignored files copied into a lane's worktree (`copyIgnored`), in real repositories: what git
 * ignores under the listed paths arrives whole and as a copy (a write in the worktree leaves the workspace's file
 * as it was), relative links inside it keep working, links leading out are left out, nothing tracked or
 * untracked is copied over, a copy cut off is finished, and the worktree's measured size counts the copies.
 */
import { lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commitAll,
  copyIgnored,
  createWorktree,
  listWorktrees,
  requireRepository,
  snapshotCommit,
} from '../../src/worktree/index.js';
import { DATE, head, read, repositoryWith, status, temporaryFolder, write } from './git-repository.js';

async function project() {
  const top = repositoryWith({
    '.gitignore': 'node_modules/\n.env\ndist/\nconfig/local.yml\n',
    'package.json': '{}\n',
    'config/app.yml': 'tracked\n',
  });
  write(top, {
    '.env': 'TOKEN=x\n',
    'node_modules/left/index.js': 'module.exports = 1;\n',
    'node_modules/left/bin/run.js': '#!/usr/bin/env node\n',
    'dist/big.bin': Buffer.alloc(200_000, 7),
    'config/local.yml': 'mine\n',
    'config/untracked.yml': 'new\n',
  });
  mkdirSync(join(top, 'node_modules/.bin'));
  symlinkSync('../left/bin/run.js', join(top, 'node_modules/.bin/run'));
  const outside = temporaryFolder();
  writeFileSync(join(outside, 'secret'), 'outside\n');
  symlinkSync(join(outside, 'secret'), join(top, 'node_modules/absolute'));
  symlinkSync('../../../../../../../../../../../etc/hostname', join(top, 'node_modules/climbing'));
  symlinkSync(join(top, 'package.json'), join(top, 'node_modules/into-workspace'));
  const repository = await requireRepository(top, 'implementation');
  const base = await snapshotCommit(repository, { message: 'start', date: DATE });
  const worktree = await createWorktree({
    repository,
    runId: 'run1',
    phaseId: 'implementation',
    name: 'api',
    commit: base,
  });
  return { top, repository, worktree };
}

describe('copyIgnored', () => {
  it('copies what git ignores under the listed paths, as copies the worktree cannot write the workspace through', async () => {
    const { top, repository, worktree } = await project();
    const before = (await listWorktrees(top))[0]!.bytes;
    const copied = await copyIgnored(repository, worktree, [
      'node_modules',
      '.env',
      'dist/',
      'config',
      'package.json',
      'missing',
    ]);
    expect(copied.sort()).toEqual(['.env', 'config/local.yml', 'dist', 'node_modules']);
    expect(read(worktree, '.env')).toBe('TOKEN=x\n');
    expect(read(worktree, 'config/local.yml')).toBe('mine\n');
    expect(statSync(join(worktree, 'dist/big.bin')).size).toBe(200_000);
    // The worktree's size counts its copies.
    expect((await listWorktrees(top))[0]!.bytes).toBeGreaterThan(before + 200_000);

    // Separate files: a write in the worktree leaves the workspace's as it was.
    for (const name of ['.env', 'node_modules/left/index.js']) {
      expect(statSync(join(worktree, name)).ino).not.toBe(statSync(join(top, name)).ino);
      writeFileSync(join(worktree, name), 'changed by the lane\n');
    }
    expect(read(top, '.env')).toBe('TOKEN=x\n');
    expect(read(top, 'node_modules/left/index.js')).toBe('module.exports = 1;\n');

    // A relative link inside the copy is kept as written, and leads to the worktree's own copy.
    expect(readlinkSync(join(worktree, 'node_modules/.bin/run'))).toBe('../left/bin/run.js');
    expect(read(worktree, 'node_modules/.bin/run')).toBe('#!/usr/bin/env node\n');
    // Links that would lead out of the worktree (into the workspace, or anywhere else) are left out.
    for (const name of ['absolute', 'climbing', 'into-workspace']) {
      expect(() => lstatSync(join(worktree, 'node_modules', name))).toThrow(/ENOENT/);
    }
    // Nothing the worktree tracks, or has from the snapshot, is copied over; the copies stay out of git.
    expect(read(worktree, 'config/untracked.yml')).toBe('new\n');
    expect(status(worktree)).toBe('');
    const at = head(worktree);
    expect(await commitAll(worktree, { message: 'nothing to commit', date: DATE })).toBe(at);
  });

  it('copies nothing without paths, and only what is missing when asked again (a copy cut off by a crash)', async () => {
    const { repository, worktree } = await project();
    expect(await copyIgnored(repository, worktree, [])).toEqual([]);
    expect(() => lstatSync(join(worktree, '.env'))).toThrow(/ENOENT/);
    await copyIgnored(repository, worktree, ['.env']);
    writeFileSync(join(worktree, '.env'), 'the lane changed it\n');
    // An earlier copy of node_modules was cut off half-way: its temporary folder is started again.
    write(worktree, { 'node_modules.phasewise-partial/left/index.js': 'half' });
    const again = await copyIgnored(repository, worktree, ['.env', 'node_modules']);
    expect(again).toEqual(['node_modules']);
    expect(read(worktree, '.env')).toBe('the lane changed it\n');
    expect(read(worktree, 'node_modules/left/index.js')).toBe('module.exports = 1;\n');
    expect(() => lstatSync(join(worktree, 'node_modules.phasewise-partial'))).toThrow(/ENOENT/);
  });
});
