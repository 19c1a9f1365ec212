/**
 * The path guard: every path a model supplies is resolved against the workspace's real path and must stay
 * inside it — lexically (no absolute paths, no `..` escape) and really (through every symbolic link, including
 * a linked parent directory). A path that does not exist yet is judged by its nearest existing ancestor.
 *
 * Checking is not enough on its own: a link can be swapped in between the check and the open. The check
 * therefore records the file's identity, and `verified-open.ts` compares the opened descriptor with it.
 *
 * The checks ask the file system synchronously. Each answer takes microseconds from a local disk, while the same
 * call made asynchronously is a round trip through libuv's thread pool, behind the journal's syncs
 * (`journal/sqlite-wal-sync.ts`) when a run has one in flight: a read tool call made five such trips for its path
 * alone (bench/README.md, "Issue 21, sixth round").
 */
import { type BigIntStats, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { isGitDirectoryAlias, unsafePathPart } from './git-safe-name.js';
import { isErrnoCode, ToolRefusal } from './tool-refusal.js';

export type PathIntent = 'read' | 'write';
export type PathKind = 'file' | 'directory' | 'other' | 'missing';

export interface FileIdentity {
  dev: bigint;
  ino: bigint;
}

export interface WorkspacePath {
  /** The path as the model wrote it, for messages. */
  input: string;
  /** Real path of the workspace root. */
  root: string;
  /** Absolute real path; for a missing path, the real path of its nearest existing ancestor plus the rest. */
  absolute: string;
  /** `absolute` relative to the root, with `/` separators; `.` for the root itself. */
  relative: string;
  kind: PathKind;
  /** Device and inode of the existing file or directory, taken when the path was checked. */
  identity: FileIdentity | undefined;
}

/** Directories tools may read but never change: version control internals and phasewise's own journal. */
export const PROTECTED_DIRECTORIES = ['.git', '.phasewise'];
/**
 * phasewise's configuration at the workspace root (the names `findConfigFile` looks for, in config/vocabulary.ts):
 * an agent that rewrote it would change its own permissions, gates and budget for the next run or resume.
 */
export const PROTECTED_ROOT_FILES = [
  'phasewise.yaml',
  'phasewise.yml',
  'orchestrator.yaml',
  'orchestrator.yml',
];

const RELATIVE_HINT = 'use a path relative to the workspace root (for example "src/index.ts")';

export async function resolveWorkspaceRoot(workspace: string): Promise<string> {
  try {
    return realpathSync.native(workspace);
  } catch {
    throw new ToolRefusal(`the workspace directory ${workspace} does not exist or cannot be read`);
  }
}

export function isInside(root: string, candidate: string): boolean {
  const path = relative(root, candidate);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

export async function resolveWorkspacePath(
  root: string,
  input: string,
  intent: PathIntent,
  protectedFiles: readonly string[] = [],
): Promise<WorkspacePath> {
  const lexical = normalizeInput(input);
  if (intent === 'write') refuseUnsafeName(input);
  const { absolute, exists } = resolveReal(root, input, lexical);
  if (!isInside(root, absolute)) {
    throw new ToolRefusal(
      `path ${quote(input)} leads outside the workspace through a symbolic link; only files inside the ` +
        `workspace can be used`,
    );
  }
  const relativePath = toPosix(relative(root, absolute)) || '.';
  if (intent === 'write') refuseProtected(input, relativePath, absolute, protectedFiles);
  if (!exists) return { input, root, absolute, relative: relativePath, kind: 'missing', identity: undefined };
  const stats = lstatQuietly(absolute);
  if (stats === undefined || stats.isSymbolicLink()) {
    throw new ToolRefusal(`path ${quote(input)} changed while it was being checked; try again`);
  }
  const kind: PathKind = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  return {
    input,
    root,
    absolute,
    relative: relativePath,
    kind,
    identity: { dev: stats.dev, ino: stats.ino },
  };
}

/** The model's path as a normalized relative path (`.` for the root), or a refusal it can act on. */
function normalizeInput(input: string): string {
  if (input.includes('\0')) throw new ToolRefusal(`path ${quote(input)} contains a NUL character`);
  if (isAbsolute(input) || /^[A-Za-z]:[\\/]/.test(input)) {
    throw new ToolRefusal(`path ${quote(input)} is absolute; ${RELATIVE_HINT}`);
  }
  if (input.startsWith('~')) {
    throw new ToolRefusal(
      `path ${quote(input)} points into a home directory, outside the workspace; ${RELATIVE_HINT}`,
    );
  }
  const normal = posix.normalize(input === '' ? '.' : input).replace(/\/+$/, '') || '.';
  if (normal === '..' || normal.startsWith('../')) {
    throw new ToolRefusal(`path ${quote(input)} is outside the workspace; ${RELATIVE_HINT}`);
  }
  return normal;
}

function resolveReal(root: string, input: string, lexical: string): { absolute: string; exists: boolean } {
  const segments = lexical === '.' ? [] : lexical.split('/');
  try {
    return { absolute: realpathSync.native(join(root, ...segments)), exists: true };
  } catch (error) {
    if (!isErrnoCode(error, 'ENOENT')) throw refusalFor(error, input);
  }
  // Missing: find the nearest ancestor that exists, and make sure the first missing part is not a dangling link.
  for (let depth = segments.length - 1; depth >= 0; depth--) {
    let ancestor: string;
    try {
      ancestor = realpathSync.native(join(root, ...segments.slice(0, depth)));
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT')) continue;
      throw refusalFor(error, input);
    }
    const firstMissing = join(ancestor, segments[depth]!);
    if (lstatQuietly(firstMissing) !== undefined) {
      throw new ToolRefusal(
        `path ${quote(input)} goes through a symbolic link whose target does not exist; links are not followed ` +
          `to missing targets`,
      );
    }
    return { absolute: join(ancestor, ...segments.slice(depth)), exists: false };
  }
  throw new ToolRefusal(`the workspace root disappeared while ${quote(input)} was being checked`);
}

/** The entry's own metadata (a link's, not its target's), or `undefined` when it cannot be read. */
export function lstatQuietly(path: string): BigIntStats | undefined {
  try {
    return lstatSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Names git would refuse to index: one of them would make every later snapshot (`git add`) fail. */
function refuseUnsafeName(input: string): void {
  const unsafe = unsafePathPart(input);
  if (unsafe === undefined) return;
  throw new ToolRefusal(
    unsafe.reason === 'control-character'
      ? `path ${quote(input)} contains a control character; use a name of printable characters`
      : `path ${quote(input)} has a part, ${quote(unsafe.part)}, that git reads as its own .git directory ` +
          `(any case, trailing dots or spaces, a ":" stream, or the short name git~1), which tools may not change; ` +
          `version control is left to the user`,
  );
}

function refuseProtected(
  input: string,
  relativePath: string,
  absolute: string,
  protectedFiles: readonly string[],
): void {
  const target = absolute.toLowerCase();
  const governing =
    PROTECTED_ROOT_FILES.includes(relativePath.toLowerCase()) ||
    protectedFiles.some((file) => comparablePath(file) === target);
  if (governing) {
    throw new ToolRefusal(
      `path ${quote(input)} is phasewise's configuration, which tools may not change; say in your report what ` +
        `should change in it`,
    );
  }
  const protectedPart = relativePath
    .split('/')
    .find((part) => PROTECTED_DIRECTORIES.includes(part.toLowerCase()) || isGitDirectoryAlias(part));
  if (protectedPart !== undefined) {
    throw new ToolRefusal(
      `path ${quote(input)} is inside ${protectedPart}/, which tools may not change` +
        (protectedPart.toLowerCase() !== '.phasewise'
          ? '; version control is left to the user'
          : '; it holds the run journal'),
    );
  }
}

/** A protected file's real path (its real parent plus its name when it does not exist), lower-cased. */
function comparablePath(file: string): string {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    try {
      real = join(realpathSync(dirname(file)), basename(file));
    } catch {
      real = file;
    }
  }
  return real.toLowerCase();
}

function refusalFor(error: unknown, input: string): ToolRefusal {
  if (isErrnoCode(error, 'ENOTDIR')) {
    return new ToolRefusal(`path ${quote(input)} goes through a file as if it were a directory`);
  }
  if (isErrnoCode(error, 'ELOOP')) return new ToolRefusal(`path ${quote(input)} has a symbolic link loop`);
  if (isErrnoCode(error, 'EACCES', 'EPERM')) return new ToolRefusal(`path ${quote(input)} is not accessible`);
  if (isErrnoCode(error, 'ENAMETOOLONG')) return new ToolRefusal(`path ${quote(input)} is too long`);
  return new ToolRefusal(`path ${quote(input)} cannot be resolved: ${(error as Error).message}`);
}

export function quote(path: string): string {
  return JSON.stringify(path);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
