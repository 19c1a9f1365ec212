/**
 * Committing a merge whose conflicts a merge turn resolved. Refused, with the files named and nothing staged,
 * while a changed file still holds a conflict marker (a line starting `<<<<<<< ` or `>>>>>>> `, or one that is
 * only `<<<<<<<` / `>>>>>>>`) or git still holds a path as unmerged after staging. With no merge in progress it
 * commits what changed, or returns the current commit (a resume that concluded the merge already).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorktreeError } from '../errors/index.js';
import { commitAll } from './commit-all.js';
import { commitDates, git, nulSeparated } from './git.js';
import { type MergeOptions, mergeInProgress, unmergedPaths } from './merge-branch.js';
import { WITHOUT_PHASEWISE } from './working-tree.js';

const CONFLICT_MARKER = /^(?:<{7}|>{7})(?: |\r?$)/m;

export async function concludeMerge(mergeWorktree: string, options: MergeOptions): Promise<string> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  if (!(await mergeInProgress(mergeWorktree, options.signal))) return commitAll(mergeWorktree, options);
  const marked = await filesWithMarkers(mergeWorktree, options.signal);
  if (marked.length > 0) throw unresolved(mergeWorktree, 'conflict markers remain in', marked);
  await git(mergeWorktree, ['add', '-A', '--', '.', WITHOUT_PHASEWISE], signal);
  const unmerged = await unmergedPaths(mergeWorktree, options.signal);
  if (unmerged.length > 0) throw unresolved(mergeWorktree, 'git still holds unmerged', unmerged);
  const commit = ['commit', '--quiet', '--no-verify', '--cleanup=verbatim', '-F', '-'];
  await git(mergeWorktree, commit, { ...signal, input: options.message, env: commitDates(options.date) });
  return (await git(mergeWorktree, ['rev-parse', 'HEAD'], signal)).trim();
}

/** Changed and untracked files (against HEAD) whose text holds a conflict marker, sorted. */
async function filesWithMarkers(worktree: string, signal?: AbortSignal): Promise<string[]> {
  const options = signal === undefined ? {} : { signal };
  const changed = await git(worktree, ['diff', 'HEAD', '--name-only', '-z', '--diff-filter=d'], options);
  const untracked = await git(worktree, ['ls-files', '--others', '--exclude-standard', '-z'], options);
  const paths = [...new Set([...nulSeparated(changed), ...nulSeparated(untracked)])].sort();
  const marked: string[] = [];
  for (const path of paths) {
    const content = await readFile(join(worktree, path)).catch(() => undefined);
    if (content === undefined || content.includes(0)) continue;
    if (CONFLICT_MARKER.test(content.toString('utf8'))) marked.push(path);
  }
  return marked;
}

function unresolved(worktree: string, what: string, files: string[]): WorktreeError {
  return new WorktreeError(
    'merge_unresolved',
    `the merge in ${worktree} is not resolved: ${what} ${files.join(', ')}`,
    { files },
    {
      hint: 'resolve those files (keep what both sides meant, remove every marker) and conclude again, or abort the merge',
    },
  );
}
