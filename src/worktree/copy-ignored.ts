/**
 * The workspace's git-ignored files a lane's worktree needs to build and test (`fan_out.copy_ignored`: installed
 * dependencies, build outputs, a `.env`), copied into the worktree at the same place. Git never puts them there,
 * so without them a gate command such as `npm test` fails in a worktree where it passes in the workspace.
 *
 * Copies, never links: each file is cloned copy-on-write where the file system can (Btrfs, XFS, APFS), else
 * copied, and never hard-linked, so a lane writing its copy cannot change the workspace's. A symbolic link is
 * copied as it is written when it points inside the worktree (the relative links of `node_modules/.bin`), and
 * left out when it would lead out of it (an absolute link, or one climbing above the worktree), since the lane
 * could write the workspace through it. Only what git ignores in the workspace is copied: a tracked or untracked
 * file under a listed path is already in the worktree, from the phase's snapshot.
 *
 * Each entry is copied under a temporary name and renamed when whole, so a copy cut off by a crash is started
 * again by the next `copyIgnored` on the same worktree, which copies only what is missing.
 */
import { constants } from 'node:fs';
import { cp, lstat, mkdir, readlink, realpath, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { git, nulSeparated } from './git.js';
import { type Repository, workspaceIn } from './repository.js';

const PARTIAL = '.phasewise-partial';

/**
 * Copies what git ignores under `paths` (relative to the workspace) from the workspace into the worktree at
 * `worktree` (its top); entries already there are left as they are. Returns the entries copied.
 */
export async function copyIgnored(
  repository: Repository,
  worktree: string,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  if (paths.length === 0) return [];
  const options = signal === undefined ? {} : { signal };
  const args = [
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--directory',
    '--',
    ...paths,
  ];
  const entries = nulSeparated(await git(repository.workspace, args, options)).map((entry) =>
    entry.replace(/\/$/, ''),
  );
  const top = await realpath(worktree);
  const target = workspaceIn(top, repository);
  const copied: string[] = [];
  for (const entry of entries) {
    signal?.throwIfAborted();
    const to = join(target, entry);
    if ((await lstat(to).catch(() => undefined)) !== undefined) continue;
    await mkdir(dirname(to), { recursive: true });
    // A folder the worktree holds as a link out of it must not take the copy out with it.
    if (!inside(top, await realpath(dirname(to)))) continue;
    const partial = `${to}${PARTIAL}`;
    await rm(partial, { recursive: true, force: true });
    await cp(join(repository.workspace, entry), partial, {
      recursive: true,
      // As written: by default a relative link is rewritten to an absolute one, into the workspace.
      verbatimSymlinks: true,
      mode: constants.COPYFILE_FICLONE,
      // Judged where the copy ends up, not under its temporary name.
      filter: (from, dest) => staysInside(top, from, join(to, relative(partial, dest))),
    });
    // The entry itself a link leading out: nothing was copied.
    if ((await lstat(partial).catch(() => undefined)) === undefined) continue;
    await rename(partial, to);
    copied.push(entry);
  }
  return copied;
}

/** Whether the file at `from` may be copied to `to`: anything but a link leading out of the worktree. */
async function staysInside(top: string, from: string, to: string): Promise<boolean> {
  const stats = await lstat(from);
  if (!stats.isSymbolicLink()) return true;
  const link = await readlink(from);
  return !isAbsolute(link) && inside(top, resolve(dirname(to), link));
}

function inside(top: string, path: string): boolean {
  const rest = relative(top, path);
  return rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
}
