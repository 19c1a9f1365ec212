/**
 * A run's checkpoint commits shared through its repository's remote, so a worker on another machine that takes
 * the run over can put its workspace back as the journaled tool calls left it. Each checkpoint is pushed under
 * `refs/phasewise/checkpoints/<run-id>/<commit>` (outside branches and tags: nothing a person checks out), all of
 * a run's are fetched before it resumes, and they are deleted from the remote when the run is over.
 */
import { git, tryGit } from './git.js';
import type { Repository } from './repository.js';
import { snapshotCommit } from './snapshot-commit.js';

const PREFIX = 'refs/phasewise/checkpoints';

/** The ref holding a checkpoint commit of a run. */
export function checkpointRef(runId: string, commit: string): string {
  return `${PREFIX}/${runId}/${commit}`;
}

/** Pushes `commit` (with what it needs) to `remote` under the checkpoint's ref. */
export async function publishCheckpoint(
  top: string,
  remote: string,
  runId: string,
  commit: string,
  signal?: AbortSignal,
): Promise<void> {
  await git(top, ['push', '--quiet', remote, `+${commit}:${checkpointRef(runId, commit)}`], {
    ...(signal === undefined ? {} : { signal }),
  });
}

/** Fetches every checkpoint of the run from `remote` (none is no error). */
export async function fetchCheckpoints(
  top: string,
  remote: string,
  runId: string,
  signal?: AbortSignal,
): Promise<void> {
  const refs = `${PREFIX}/${runId}/*`;
  await git(top, ['fetch', '--quiet', '--no-tags', remote, `+${refs}:${refs}`], {
    ...(signal === undefined ? {} : { signal }),
  });
}

/**
 * Puts the workspace's files back as `commit` holds them, the changes left uncommitted as they were, HEAD and
 * branches where they are (an execution that goes on from a branch an earlier one pushed keeps building on it);
 * files it does not hold are removed, ignored ones and `.phasewise/` kept.
 */
export async function restoreCheckpoint(top: string, commit: string, signal?: AbortSignal): Promise<void> {
  const options = signal === undefined ? {} : { signal };
  // `reset --hard` without moving HEAD: the index and the files become the checkpoint's.
  await git(top, ['read-tree', '--reset', '-u', commit], options);
  // Now every file the checkpoint holds is in the index, so only the others go.
  await git(top, ['clean', '--quiet', '-f', '-d', '-e', '.phasewise'], options);
  await git(top, ['reset', '--quiet'], options);
}

/** Deletes the run's checkpoints from `remote` and from this repository, once the run needs them no more. */
export async function dropCheckpoints(
  top: string,
  remote: string,
  runId: string,
  signal?: AbortSignal,
): Promise<void> {
  const options = signal === undefined ? {} : { signal };
  const listed = await git(top, ['ls-remote', '--refs', remote, `${PREFIX}/${runId}/*`], options);
  const refs = listed
    .split('\n')
    .map((line) => line.split('\t')[1])
    .filter((ref): ref is string => ref !== undefined && ref !== '');
  if (refs.length > 0) await git(top, ['push', '--quiet', remote, ...refs.map((ref) => `:${ref}`)], options);
  const local = await git(top, ['for-each-ref', '--format=%(refname)', `${PREFIX}/${runId}/`], options);
  for (const ref of local.split('\n').filter((line) => line !== '')) {
    await git(top, ['update-ref', '-d', ref], options);
  }
}

export interface RemoteCheckpointsOptions {
  repository: Repository;
  /** The remote the run's checkpoints are pushed to and fetched from (a worker's clone: `origin`). */
  remote: string;
  runId: string;
  /** The checkpoints' commit date. */
  now: () => Date;
}

/** A run's workspace checkpoints (the orchestrator's `WorkspaceCheckpoints`) shared through a git remote. */
export function remoteCheckpoints(options: RemoteCheckpointsOptions): {
  take(message: string): Promise<string>;
  publish(commit: string): Promise<void>;
  restore(commit: string): Promise<void>;
} {
  const { repository, remote, runId, now } = options;
  const { top } = repository;
  return {
    take: (message) => snapshotCommit(repository, { message, date: now() }),
    publish: (commit) => publishCheckpoint(top, remote, runId, commit),
    async restore(commit) {
      const here = await tryGit(top, ['cat-file', '-e', `${commit}^{commit}`]);
      if (here.exitCode !== 0) await fetchCheckpoints(top, remote, runId);
      await restoreCheckpoint(top, commit);
    },
  };
}
