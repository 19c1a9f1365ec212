/**
 * Read-only access to one commit of a git repository (a bare git directory or a checkout): the files are read
 * from the commit itself, never from a work tree, so what is read is exactly what the commit holds.
 */
import { execFileSync } from 'node:child_process';
import { RecipeError } from './recipe-error.js';

export interface GitTree {
  /** The full hash of the commit being read. */
  readonly commit: string;
  /** Names of the entries directly under `directory` (files and folders). */
  list(directory: string): string[];
  has(path: string): boolean;
  read(path: string): string;
  /** A file as another commit of the same repository holds it; undefined when it is not there. */
  readAt(commit: string, path: string): string | undefined;
  /** The full hash of the last commit, up to this one, that changed `path`. */
  lastChange(path: string): string;
}

export function openGitTree(from: string, revision: string): GitTree {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', from, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let commit: string;
  try {
    commit = git('rev-parse', '--verify', '--quiet', `${revision}^{commit}`).trim();
  } catch {
    throw new RecipeError(
      `--from ${from}: no commit ${revision} there (or not a git repository); ` +
        'pass a clone of the results repository and a commit it holds',
    );
  }
  const paths = new Set(git('ls-tree', '-r', '--name-only', '-z', commit).split('\0').filter(Boolean));
  return {
    commit,
    list(directory) {
      const prefix = `${directory}/`;
      const names = new Set<string>();
      for (const path of paths) {
        if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]!);
      }
      return [...names].sort();
    },
    has: (path) => paths.has(path),
    read(path) {
      if (!paths.has(path)) throw new RecipeError(`${path}: not in commit ${commit}`);
      return git('show', `${commit}:${path}`);
    },
    readAt(other, path) {
      try {
        return git('show', `${other}:${path}`);
      } catch {
        return undefined;
      }
    },
    lastChange: (path) => git('log', '-1', '--format=%H', commit, '--', path).trim(),
  };
}
