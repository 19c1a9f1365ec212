/**
 * What a sandboxed command may not change in the workspace, as bwrap arguments: every git directory at any
 * depth (hooks run later, outside any sandbox), the journal, and the configuration files that govern the run —
 * the one it loaded and every name that would be loaded instead of it next time — whether they exist or not.
 *
 * A bind only covers a path that exists, and a file or directory that does not exist yet could be created.
 * So an existing file or directory is bound read-only onto itself; a missing name is covered by an empty
 * read-only directory (a tmpfs remounted read-only), so nothing can be created there, and a configuration
 * directory is never a file. bwrap creates that directory on the host as the mount point: `cleanupMasks` removes
 * it after the command (an empty directory is harmless even if phasewise is killed first: it is not a file,
 * so nothing loads it, and git does not see empty directories). Every directory between the workspace root and a
 * protected path is bound onto itself too: a mount point cannot be renamed, so `mv ci ci2 && mkdir ci` cannot
 * put a new file in the old one's place.
 */
import { type Dirent, existsSync, lstatSync, readdirSync, realpathSync, rmdirSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { isGitDirectoryAlias } from './git-safe-name.js';

/** Directories under the workspace root commands may read but never change. */
const PROTECTED_ROOT_DIRECTORIES = ['.phasewise'];
/** How many directory entries the search for nested git directories reads before it stops (a huge tree). */
const MAX_WALKED_ENTRIES = 200_000;

export interface ProtectedMounts {
  args: string[];
  /** Mount points bwrap will create on the host for missing names; removed again by `cleanupMasks`. */
  masks: string[];
}

export function protectedMounts(workspace: string, protectedFiles: readonly string[]): ProtectedMounts {
  const targets = new Set<string>([
    ...PROTECTED_ROOT_DIRECTORIES.map((name) => join(workspace, name)),
    ...gitDirectories(workspace),
    ...protectedFiles.map(realOrParentReal).filter((file) => isBelow(workspace, file)),
  ]);
  const args: string[] = [];
  const masks: string[] = [];
  const pinned = new Set<string>();
  for (const target of [...targets].sort()) {
    const covered = firstMissing(workspace, target);
    for (let parent = dirname(covered); isBelow(workspace, parent); parent = dirname(parent)) {
      pinned.add(parent);
    }
    if (existsSync(covered)) args.push('--ro-bind', covered, covered);
    else {
      args.push('--tmpfs', covered, '--remount-ro', covered);
      masks.push(covered);
    }
  }
  // Parents first (shorter paths sort first), bound writable onto themselves so they cannot be renamed away.
  const pins = [...pinned].sort().flatMap((directory) => ['--bind', directory, directory]);
  return { args: [...pins, ...args], masks };
}

/** Removes the empty mount points bwrap left for missing names (only when empty: never anyone's files). */
export function cleanupMasks(masks: readonly string[]): void {
  for (const mask of [...masks].reverse()) {
    try {
      rmdirSync(mask);
    } catch {
      // Not empty or already gone: then it is not ours to remove.
    }
  }
}

/**
 * Every `.git` (directory or file, any spelling git reads as one) below the workspace, at any depth; directories
 * named in `skipped` (at any depth) are not searched.
 */
export function gitDirectories(workspace: string, skipped: readonly string[] = []): string[] {
  const found: string[] = [];
  const pending = [workspace];
  let walked = 0;
  while (pending.length > 0 && walked < MAX_WALKED_ENTRIES) {
    const directory = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      walked += 1;
      const path = join(directory, entry.name);
      // A link named .git is left alone: binding it would bind wherever it points.
      if (isGitDirectoryAlias(entry.name)) {
        if (!entry.isSymbolicLink()) found.push(path);
      } else if (
        entry.isDirectory() &&
        !(directory === workspace && entry.name === '.phasewise') &&
        !skipped.includes(entry.name)
      ) {
        pending.push(path);
      }
    }
  }
  return found;
}

/** `target` itself when its parent exists, else the outermost missing directory on the way to it. */
function firstMissing(workspace: string, target: string): string {
  let covered = target;
  while (isBelow(workspace, dirname(covered)) && !pathExists(dirname(covered))) covered = dirname(covered);
  return covered;
}

/** The real path (the workspace is bound at its real path): of the file, or of its parent plus its name. */
function realOrParentReal(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    try {
      return join(realpathSync(dirname(file)), basename(file));
    } catch {
      return file;
    }
  }
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether `inner` lies strictly below `outer`. */
function isBelow(outer: string, inner: string): boolean {
  const path = relative(outer, inner);
  return path !== '' && !path.startsWith(`..${sep}`) && path !== '..' && !path.startsWith(sep);
}
