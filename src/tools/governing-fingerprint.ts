/**
 * Detect and restore, for commands that run without the sandbox (`sandbox: none`, or `auto` without bubblewrap):
 * nothing keeps such a command from rewriting the run's governing files or a `.git`, so before it starts the
 * few paths that matter are read — each governing file (`sandbox.protectedFiles`: its bytes, or that it is
 * missing) and, in every `.git` at any depth and the enclosing repository's, `config`, `config.worktree` and each
 * entry of `hooks/` — and after
 * it ends (however it ends) whatever differs is put back: bytes written back atomically, created names removed,
 * a `.git` that did not exist before removed as the sandbox path does. Git's objects, refs and index are not
 * read: a command may commit; only what makes git run something (configuration, hooks) is kept.
 *
 * What this cannot do, unlike the sandbox: stop a change from being seen while the command still runs, or stop a
 * process the command left behind from writing after the check (see README).
 */
import { readdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { type GuardedState, putBack, removeAll, sameState, stateOf } from './guarded-state.js';
import { gitDirectories } from './protected-mounts.js';

export type { GuardedState } from './guarded-state.js';

export interface GoverningFingerprint {
  /** Real path of the workspace. */
  root: string;
  /** Every guarded path (absolute) and its state (put back parents first). */
  paths: Map<string, GuardedState>;
  /** `hooks/` directories whose entries are all guarded: a name that appears there is removed. */
  hookDirectories: string[];
  /** The git directories that existed: any other found afterwards is removed. */
  gitDirectories: Set<string>;
}

/** What was put back: a path (workspace-relative when inside it) and how. */
export interface RestoredPath {
  path: string;
  action: 'restored' | 'removed';
}

/** Names git reads in a git directory that make it run a program or point elsewhere. */
const GUARDED_GIT_FILES = ['config', 'config.worktree'];
/** Directories the search for nested `.git` skips, as the workspace snapshot skips what is ignored. */
export const SKIPPED_DIRECTORIES = ['node_modules'];

export function takeGoverningFingerprint(
  workspace: string,
  protectedFiles: readonly string[],
): GoverningFingerprint {
  const root = realpathSync(workspace);
  const paths = new Map<string, GuardedState>();
  const guard = (path: string) => paths.set(path, stateOf(path));
  for (const file of protectedFiles) {
    guard(file);
    const real = realOrUndefined(file);
    if (real !== undefined && real !== file) guard(real);
  }
  const gits = gitDirectories(root, SKIPPED_DIRECTORIES);
  const hookDirectories: string[] = [];
  for (const git of [...enclosingGitDirectory(root), ...gits]) {
    const state = stateOf(git);
    paths.set(git, state);
    if (state.kind !== 'directory') continue;
    for (const name of GUARDED_GIT_FILES) guard(`${git}/${name}`);
    const hooks = `${git}/hooks`;
    guard(hooks);
    hookDirectories.push(hooks);
    for (const name of entriesOf(hooks)) guard(`${hooks}/${name}`);
  }
  return { root, paths, hookDirectories, gitDirectories: new Set(gits) };
}

/** Puts back whatever differs from `fingerprint`; returns what it changed ([] when nothing had). */
export function restoreGoverning(fingerprint: GoverningFingerprint): RestoredPath[] {
  const restored: RestoredPath[] = [];
  const note = (path: string, action: RestoredPath['action']) =>
    restored.push({ path: shown(fingerprint.root, path), action });
  for (const git of gitDirectories(fingerprint.root, SKIPPED_DIRECTORIES)) {
    if (fingerprint.gitDirectories.has(git)) continue;
    removeAll(git);
    note(git, 'removed');
  }
  for (const hooks of fingerprint.hookDirectories) {
    if (stateOf(hooks).kind !== 'directory') continue;
    for (const name of entriesOf(hooks)) {
      const path = `${hooks}/${name}`;
      if (fingerprint.paths.has(path)) continue;
      removeAll(path);
      note(path, 'removed');
    }
  }
  // A git directory the command deleted whole is not rebuilt from its configuration alone: it runs nothing.
  const vanished = [...fingerprint.gitDirectories].filter((git) => stateOf(git).kind === 'missing');
  const byDepth = [...fingerprint.paths].sort(([left], [right]) => left.length - right.length);
  for (const [path, before] of byDepth) {
    if (vanished.some((git) => path === git || path.startsWith(`${git}/`))) continue;
    if (sameState(before, stateOf(path))) continue;
    putBack(path, before);
    note(path, before.kind === 'missing' ? 'removed' : 'restored');
  }
  return restored;
}

/** `['restored ci/pw.yaml', 'removed phasewise.yaml']`: each put-back path as the warning lists it. */
export function restoredEntries(restored: readonly RestoredPath[]): string[] {
  return restored.map((entry) => `${entry.action} ${entry.path}`);
}

/** `restored ci/pw.yaml, removed phasewise.yaml`: what the tool result and the warning say. */
export function restoredText(restored: readonly RestoredPath[]): string {
  return restoredEntries(restored).join(', ');
}

/** The warning's message: who changed the rules, and what was put back. */
export function restoredWarning(source: string, restored: readonly RestoredPath[]): string {
  return `${source} ran without the sandbox and changed the run's governing files or git metadata; put back: ${restoredText(restored)}`;
}

/**
 * The `.git` of the repository the workspace lies in, when it is not the workspace's own: git finds it from
 * inside the workspace (`git config` there writes it), though the sandbox never shows it to a command.
 */
function enclosingGitDirectory(root: string): string[] {
  for (let directory = dirname(root); ; directory = dirname(directory)) {
    const git = `${directory === '/' ? '' : directory}/.git`;
    const state = stateOf(git);
    if (state.kind === 'directory' || state.kind === 'file') return [git];
    if (dirname(directory) === directory) return [];
  }
}

function entriesOf(directory: string): string[] {
  try {
    return readdirSync(directory).sort();
  } catch {
    return [];
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function shown(root: string, path: string): string {
  const inside = relative(root, path);
  return inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside)
    ? inside
    : path;
}
