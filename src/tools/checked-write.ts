/**
 * Writing a checked path without ever writing through a link. Missing parent directories are created one by
 * one inside the workspace; the content goes to a temporary file opened `O_EXCL | O_NOFOLLOW` in the verified
 * directory, whose descriptor is checked like a read; the directory is verified again just before the rename,
 * and `rename` replaces a link at the target rather than following it. A crash leaves the old file or the new.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { quote, type WorkspacePath } from './path-guard.js';
import { isErrnoCode, ToolRefusal } from './tool-refusal.js';
import { descriptorPath } from './verified-open.js';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW;

export interface WriteOutcome {
  created: boolean;
  bytes: number;
}

export async function writeCheckedFile(path: WorkspacePath, content: string): Promise<WriteOutcome> {
  if (path.kind === 'directory') {
    throw new ToolRefusal(`path ${quote(path.input)} is a directory; give the path of a file inside it`);
  }
  if (path.kind === 'other') throw new ToolRefusal(`path ${quote(path.input)} is not a regular file`);
  const directory = dirname(path.absolute);
  await ensureDirectory(path, directory);
  const mode = path.kind === 'file' ? (await stat(path.absolute)).mode & 0o7777 : undefined;
  const temporary = join(directory, `.${basename(path.absolute)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, CREATE_NEW, mode ?? 0o666);
    await verifyTemporary(path, handle, temporary);
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    const written = await handle.stat({ bigint: true });
    await handle.close();
    handle = undefined;
    await verifyDirectory(path, directory);
    await rename(temporary, path.absolute);
    await verifyRenamed(path, written.ino);
    return { created: path.kind === 'missing', bytes: Number(written.size) };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Creates the missing directories below the nearest existing one, refusing any that turns into a link. */
async function ensureDirectory(path: WorkspacePath, directory: string): Promise<void> {
  const parts = relative(path.root, directory)
    .split(sep)
    .filter((part) => part !== '');
  let current = path.root;
  for (const part of parts) {
    current = join(current, part);
    try {
      await mkdir(current);
    } catch (error) {
      if (!isErrnoCode(error, 'EEXIST')) throw error;
    }
    const stats = await lstat(current);
    if (stats.isSymbolicLink()) throw changed(path);
    if (!stats.isDirectory()) {
      throw new ToolRefusal(
        `cannot write ${quote(path.input)}: ${quote(relative(path.root, current))} is a file`,
      );
    }
  }
  await verifyDirectory(path, directory);
}

async function verifyDirectory(path: WorkspacePath, directory: string): Promise<void> {
  const real = await realpath(directory).catch(() => undefined);
  if (real !== directory) throw changed(path);
}

async function verifyTemporary(path: WorkspacePath, handle: FileHandle, temporary: string): Promise<void> {
  const actual = await descriptorPath(handle);
  if (actual !== undefined && actual !== temporary) throw changed(path);
  if (actual === undefined) {
    // Without /proc: the name must still lead to the descriptor we hold, in the unchanged directory.
    await verifyDirectory(path, dirname(temporary));
    const [byName, byHandle] = await Promise.all([lstat(temporary), handle.stat()]);
    if (byName.ino !== byHandle.ino || byName.dev !== byHandle.dev) throw changed(path);
  }
}

/** The renamed file must be the one written, at the checked path (a race can only make this fail, not leak). */
async function verifyRenamed(path: WorkspacePath, ino: bigint): Promise<void> {
  const handle = await open(path.absolute, constants.O_RDONLY | NO_FOLLOW).catch(() => undefined);
  if (handle === undefined) throw changed(path);
  try {
    const [stats, actual] = await Promise.all([handle.stat({ bigint: true }), descriptorPath(handle)]);
    if (stats.ino !== ino || (actual !== undefined && actual !== path.absolute)) throw changed(path);
  } finally {
    await handle.close();
  }
}

function changed(path: WorkspacePath): ToolRefusal {
  return new ToolRefusal(
    `path ${quote(path.input)} changed while it was being written (a directory was replaced, possibly by a ` +
      `symbolic link); nothing was written outside the workspace`,
  );
}
