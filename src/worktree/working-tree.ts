/**
 * The whole repository's working tree as a git tree object, built in a scratch index (`GIT_INDEX_FILE`, seeded
 * from a copy of the repository's index, else from HEAD): tracked files and untracked ones, less what git
 * ignores, and less `.phasewise/` at any depth. The user's index, HEAD, branches and files are never touched;
 * only objects are added to the object store, as `git stash` does. Seeding keeps a tracked file that is also
 * ignored, and spares hashing unchanged files again.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type GitOptions, git, tryGit } from './git.js';

/** Pathspec for `.phasewise/` at any depth: phasewise's own files are never part of the work. */
export const WITHOUT_PHASEWISE = ':(exclude,glob)**/.phasewise/**';

/** The tree id of the working tree of the repository whose top is `top`. */
export async function workingTreeOf(top: string, signal?: AbortSignal): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'phasewise-worktree-'));
  const index = join(scratch, 'index');
  const options: GitOptions = { env: { GIT_INDEX_FILE: index }, ...(signal === undefined ? {} : { signal }) };
  try {
    await seedIndex(top, index, options);
    const add = ['add', '-A', '--', '.', WITHOUT_PHASEWISE];
    if ((await tryGit(top, add, options)).exitCode !== 0) {
      // A copied index git cannot use (a split index, another version): start again from HEAD.
      await rm(index, { force: true });
      await seedFromHead(top, options);
      await git(top, add, options);
    }
    return (await git(top, ['write-tree'], options)).trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function seedIndex(top: string, index: string, options: GitOptions): Promise<void> {
  const realIndex = (await git(top, ['rev-parse', '--git-path', 'index'], strip(options))).trim();
  const copied = await copyFile(resolve(top, realIndex), index).then(
    () => true,
    () => false,
  );
  if (!copied) await seedFromHead(top, options);
}

/** The scratch index set to HEAD's tree; left empty in a repository with no commit yet. */
async function seedFromHead(top: string, options: GitOptions): Promise<void> {
  const head = await tryGit(top, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], strip(options));
  if (head.exitCode === 0) await git(top, ['read-tree', head.stdout.trim()], options);
}

/** The options without the scratch index, for questions about the repository itself. */
function strip(options: GitOptions): GitOptions {
  return options.signal === undefined ? {} : { signal: options.signal };
}
