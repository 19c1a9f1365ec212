/**
 * Whether git could find a repository at `root`: a `.git` in it or above it, or a directory git could take for
 * a bare repository (one holding `HEAD`). With neither, `git rev-parse` fails for certain (the variables that
 * point git elsewhere are never passed on), so git is not forked for nothing: a fork of the Node process blocks
 * the event loop for milliseconds.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function mayBeInGit(root: string): boolean {
  for (let directory = root; ; directory = path.dirname(directory)) {
    // A few stats of cached directory entries: cheaper inline than as round trips through the thread pool.
    if (existsSync(path.join(directory, '.git')) || existsSync(path.join(directory, 'HEAD'))) return true;
    if (directory === path.dirname(directory)) return false;
  }
}
