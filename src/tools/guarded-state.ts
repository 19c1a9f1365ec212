/**
 * One guarded path's state (`governing-fingerprint.ts`): read it, compare it, put it back. A regular file is kept
 * as its bytes and mode, a link as its target; putting back writes a file atomically (beside it, then renamed
 * over whatever is there, a link included) and removes whatever took the place of a missing name.
 */
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  type Stats,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** One guarded path as it was: a regular file's bytes and mode, a link's target, a directory, or nothing. */
export type GuardedState =
  | { kind: 'missing' }
  | { kind: 'file'; bytes: Buffer; mode: number }
  | { kind: 'link'; target: string }
  | { kind: 'directory' }
  | { kind: 'other' };

export function stateOf(path: string): GuardedState {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return { kind: 'missing' };
  }
  if (stats.isSymbolicLink()) return { kind: 'link', target: readlinkSync(path) };
  if (stats.isDirectory()) return { kind: 'directory' };
  if (!stats.isFile()) return { kind: 'other' };
  return { kind: 'file', bytes: readFileSync(path), mode: stats.mode & 0o7777 };
}

export function sameState(before: GuardedState, now: GuardedState): boolean {
  if (before.kind !== now.kind) return false;
  if (before.kind === 'file' && now.kind === 'file')
    return before.mode === now.mode && before.bytes.equals(now.bytes);
  if (before.kind === 'link' && now.kind === 'link') return before.target === now.target;
  return true;
}

export function putBack(path: string, before: GuardedState): void {
  const now = stateOf(path);
  if (before.kind === 'missing' || before.kind === 'other') {
    removeAll(path);
    return;
  }
  if (before.kind === 'directory') {
    if (now.kind !== 'directory') {
      removeAll(path);
      mkdirSync(path, { recursive: true });
    }
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  if (now.kind === 'directory') removeAll(path);
  if (before.kind === 'link') {
    removeAll(path);
    symlinkSync(before.target, path);
    return;
  }
  writeAtomically(path, before.bytes, before.mode);
}

/** Written beside the file and renamed over it: a reader never sees half of it, a link there is replaced. */
function writeAtomically(path: string, bytes: Buffer, mode: number): void {
  const scratch = `${dirname(path)}/.phasewise-restore-${randomUUID()}`;
  writeFileSync(scratch, bytes, { mode, flag: 'wx' });
  chmodSync(scratch, mode);
  renameSync(scratch, path);
}

export function removeAll(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
