/**
 * What the workspace looked like before an attempt, so the `diff` check can tell what the attempt changed.
 * The snapshot is small plain JSON (it is journaled, so a resumed run compares against the same state).
 *
 * In a git repository it is the id of a tree object of the working tree, built through a temporary index
 * (`GIT_INDEX_FILE`, seeded from a copy of the real one so unchanged files are not hashed again) with
 * `git add -A` and `git write-tree`: the user's index, HEAD and branches are never touched; only objects are
 * added to the object store, as `git stash` does. Elsewhere it maps each file to the sha256 of its content.
 * Both skip what the repository ignores (`.gitignore`; outside git, ripgrep's reading of the ignore files),
 * `.git/` and `.phasewise/` (the journal changes during every run and never counts). Outside git, symbolic
 * links are not listed, so a link added or removed there goes unseen. Where neither git nor an ignore rule can
 * apply, the files are listed in this process (`workspace-walk.ts`) and nothing is forked.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mayBeInGit } from '../util/may-be-in-git.js';
import { hashFiles } from './file-hashes.js';
import { runRipgrep, WALK_ARGS } from './ripgrep.js';
import { walkPlainWorkspace } from './workspace-walk.js';

export type WorkspaceSnapshot =
  | { version: 1; kind: 'git'; tree: string; prefix: string }
  | { version: 1; kind: 'files'; files: Record<string, string> };

export interface SnapshotOptions {
  abortSignal?: AbortSignal;
}

export async function snapshotWorkspace(
  workspace: string,
  options: SnapshotOptions = {},
): Promise<WorkspaceSnapshot> {
  const root = await realpath(workspace);
  const prefix = mayBeInGit(root) ? await gitPrefix(root, options) : undefined;
  if (prefix !== undefined) {
    // A repository git cannot write objects to (read-only, broken) is still a directory of files.
    const tree = await workingTree(root, prefix, options).catch((error: unknown) => {
      if (options.abortSignal?.aborted) throw error;
      return undefined;
    });
    if (tree !== undefined) return { version: 1, kind: 'git', tree, prefix };
  }
  return { version: 1, kind: 'files', files: await hashWorkspace(root, options) };
}

/** Workspace-relative paths added, modified or deleted since `snapshot`, sorted; `.phasewise/` left out. */
export async function changedSince(
  workspace: string,
  snapshot: WorkspaceSnapshot,
  options: SnapshotOptions = {},
): Promise<string[]> {
  const root = await realpath(workspace);
  let changed: string[];
  if (snapshot.kind === 'git') {
    const tree = await workingTree(root, snapshot.prefix, options);
    const args = ['diff-tree', '-r', '-z', '--name-only', '--no-renames', snapshot.tree, tree];
    changed = tree === snapshot.tree ? [] : (await git(root, args, {}, options)).split('\0');
  } else {
    const now = await hashWorkspace(root, options);
    const paths = new Set([...Object.keys(snapshot.files), ...Object.keys(now)]);
    changed = [...paths].filter((file) => snapshot.files[file] !== now[file]);
  }
  return changed.filter((file) => file !== '' && !/(?:^|\/)\.phasewise(?:\/|$)/.test(file)).sort();
}

/** The workspace's place in its repository (`''` at the top), or undefined when git does not track it. */
async function gitPrefix(root: string, options: SnapshotOptions): Promise<string | undefined> {
  let prefix: string;
  try {
    prefix = (await git(root, ['rev-parse', '--show-prefix'], {}, options)).trim();
  } catch {
    return undefined;
  }
  if (prefix === '') return prefix;
  // A workspace inside an ignored directory would look unchanged whatever happened to it.
  const ignored = await git(root, ['check-ignore', '-q', '--', '.'], {}, options).then(
    () => true,
    () => false,
  );
  return ignored ? undefined : prefix;
}

async function workingTree(root: string, prefix: string, options: SnapshotOptions): Promise<string> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'phasewise-snapshot-'));
  const index = path.join(scratch, 'index');
  try {
    const realIndex = (await git(root, ['rev-parse', '--git-path', 'index'], {}, options)).trim();
    await copyFile(path.resolve(root, realIndex), index).catch(() => undefined);
    const env = { GIT_INDEX_FILE: index };
    await addAll(root, env, options).catch(async () => {
      // A copied index git cannot use (a split index, another version): start from an empty one.
      await rm(index, { force: true });
      await addAll(root, env, options);
    });
    return (await git(root, ['write-tree', `--prefix=${prefix}`], env, options)).trim();
  } catch (error) {
    // `write-tree --prefix` fails when nothing below the prefix is tracked: an empty workspace.
    if (prefix !== '' && /prefix .* not found/.test(String((error as Error).message))) {
      return (await git(root, ['mktree'], {}, options, '')).trim();
    }
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** What `git add` says of a path it will not take: a name it refuses, or a nested repository without a commit. */
const REFUSED_PATH = /invalid path '(.*)'$|error: '(.*)' does not have a commit checked out$/gm;
/** How many rounds of names git refuses `addAll` leaves out before it gives up. */
const MAX_REFUSED_ROUNDS = 16;

/**
 * `git add -A` into the scratch index. A name git refuses to index (`docs/.git./x`, made by a command: the
 * tools refuse such names) or a nested repository without a commit (`git init sub`) fails the whole add, and
 * would fail every later snapshot and every resume; such a path is left out of the snapshot instead — git cannot
 * record it — and the add is tried again. A change to it is then not seen by the `diff` check (README).
 */
async function addAll(root: string, env: Record<string, string>, options: SnapshotOptions): Promise<void> {
  const excluded: string[] = [];
  for (let round = 0; ; round++) {
    const add = ['add', '-A', '--ignore-errors', '--', '.', ':(exclude).phasewise', ...excluded];
    try {
      await git(root, add, env, options);
      return;
    } catch (error) {
      const message = String((error as Error).message);
      const refused = [...message.matchAll(REFUSED_PATH)].map(
        (match) => `:(exclude,literal)${(match[1] ?? match[2] ?? '').replace(/\/$/, '')}`,
      );
      const fresh = refused.filter((spec) => !excluded.includes(spec));
      if (options.abortSignal?.aborted || fresh.length === 0 || round >= MAX_REFUSED_ROUNDS) throw error;
      excluded.push(...fresh);
    }
  }
}

/** Settings that keep git from running anything the repository configures, or failing on line endings. */
const GIT_SAFETY = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.safecrlf=false',
];
const GIT_MAX_BUFFER = 256 * 1024 * 1024;

function git(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  options: SnapshotOptions,
  input?: string,
): Promise<string> {
  const base = { ...process.env };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR']) {
    delete base[name];
  }
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...GIT_SAFETY, '-c', 'advice.addEmbeddedRepo=false', ...args],
      {
        cwd,
        env: { ...base, ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
        maxBuffer: GIT_MAX_BUFFER,
        encoding: 'utf8',
        ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
      },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(`git ${args[0]} failed: ${stderr.trim() || error.message}`, { cause: error }));
      },
    );
    // git may exit before reading its input (a failed command, or one that reads none): not an error here.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

/** Each listed file of a plain workspace with the sha256 of its content (`file-hashes.ts`), sorted by path. */
async function hashWorkspace(root: string, options: SnapshotOptions): Promise<Record<string, string>> {
  const walked = await walkPlainWorkspace(root, options.abortSignal);
  const files = walked ?? [];
  if (walked === undefined) {
    await runRipgrep(['--files', ...WALK_ARGS], {
      directory: { path: root },
      abortSignal: options.abortSignal ?? new AbortController().signal,
      onLine: (line) => files.push(line.replace(/^\.\//, '')) > 0,
    });
  }
  return hashFiles(root, files.sort());
}
