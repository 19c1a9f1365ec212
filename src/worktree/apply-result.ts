/**
 * Bringing a fanned-out phase's merged result into the user's workspace: the working tree goes from commit
 * `base` (the snapshot the phase started at) to `result`, as a binary-safe patch (additions, deletions, renames,
 * modes) applied by `git apply` to the files only. Nothing is committed; the index, HEAD and branches stay as
 * they are, so the user sees the phase's work as uncommitted changes.
 *
 * Only the workspace's folder is carried over (and never `.phasewise/`). Refused, with nothing changed, when the
 * result touches one of the run's governing files (`governing`: whatever a lane did, its configuration or task file
 * never reaches the workspace this way), when a file the result touches no longer matches `base` in the workspace
 * (someone edited it meanwhile), or when the patch does not apply (`git apply` applies all of it or nothing).
 */
import { WorktreeError } from '../errors/index.js';
import { git, gitBytes, nulSeparated } from './git.js';
import type { Repository } from './repository.js';
import { WITHOUT_PHASEWISE, workingTreeOf } from './working-tree.js';

export interface ApplyResultOptions {
  signal?: AbortSignal;
  /** The run's governing files inside the workspace, relative to it with `/` separators: never changed. */
  governing?: readonly string[];
}

/** Returns the repository-relative paths the result changes, sorted (none: nothing to apply). */
export async function applyResult(
  repository: Repository,
  base: string,
  result: string,
  options: ApplyResultOptions = {},
): Promise<string[]> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const { top } = repository;
  const scope = ['--', repository.prefix === '' ? '.' : repository.prefix, WITHOUT_PHASEWISE];
  const changedBetween = async (from: string, to: string) =>
    new Set(
      nulSeparated(await git(top, ['diff', '--name-only', '-z', '--no-renames', from, to, ...scope], signal)),
    );
  // The workspace's tree is taken side by side with what the result changes: one wait instead of two.
  const [changed, now] = await Promise.all([
    changedBetween(base, result),
    workingTreeOf(top, options.signal),
  ]);
  const touched = [...changed].sort();
  if (touched.length === 0) return [];
  const governing = new Set((options.governing ?? []).map((path) => `${repository.prefix}${path}`));
  const forbidden = touched.filter((path) => governing.has(path));
  if (forbidden.length > 0) throw governingChanged(repository, forbidden);
  const drifted = await changedBetween(base, now);
  const edited = touched.filter((path) => drifted.has(path));
  if (edited.length > 0) {
    // Applied already (a resume after the files were written): nothing left to do.
    const missing = await changedBetween(result, now);
    if (touched.every((path) => !missing.has(path))) return touched;
    throw workspaceChanged(repository, edited);
  }
  const diff = ['diff', '--binary', '--full-index', '-M', '--no-color', '--no-ext-diff', '--no-textconv'];
  const patch = await gitBytes(top, [...diff, base, result, ...scope], signal);
  // Without --reject, git apply checks every hunk before it writes a file: a patch that does not apply changes
  // nothing, so no separate --check is needed.
  await git(top, ['apply', '--whitespace=nowarn', '-'], { ...signal, input: patch });
  return touched;
}

function workspaceChanged(repository: Repository, files: string[]): WorktreeError {
  return new WorktreeError(
    'workspace_changed',
    `the phase's result was not applied to ${repository.workspace}: ${files.join(', ')} changed there since the ` +
      'phase started, and nothing was changed',
    { files },
    {
      hint: 'put those files back as they were (or commit or stash your changes) and resume the run, which applies the result again',
    },
  );
}

function governingChanged(repository: Repository, files: string[]): WorktreeError {
  return new WorktreeError(
    'governing_file',
    `the phase's result was not applied to ${repository.workspace}: it changes ${files.join(', ')}, which ` +
      'govern the run (its configuration or task file) and no agent may change, and nothing was changed',
    { files },
    {
      hint: 'see what the work items changed on their branches (`git log -p phasewise-lanes/<run>/<phase>/…`); change those files yourself if they need it',
    },
  );
}
