/**
 * Opening what the path guard checked, and nothing else. Between the check and the open a symbolic link may be
 * swapped in for the file or for one of its parent directories. `O_NOFOLLOW` refuses a link in the last
 * component; after opening, the descriptor's device and inode must be those recorded by the check, and on Linux
 * the descriptor's own path (`/proc/self/fd/N`) must still lie inside the workspace.
 *
 * The checks of an open descriptor ask synchronously, as the path guard does (`path-guard.ts` says why), and so
 * can a whole open (`openCheckedFileSync`); `openCheckedFile` opens asynchronously, for a tool that needs a
 * `FileHandle`.
 */
import {
  type BigIntStats,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readlinkSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { isInside, quote, type WorkspacePath } from './path-guard.js';
import { isErrnoCode, ToolRefusal } from './tool-refusal.js';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;
const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');

/** A checked regular file opened for reading: its descriptor (the caller closes it) and its size then. */
export interface OpenedFile {
  fd: number;
  size: number;
}

/** Where the kernel says an open descriptor points, when it can say (Linux); `undefined` elsewhere. */
export async function descriptorPath(handle: FileHandle): Promise<string | undefined> {
  return descriptorPathOf(handle.fd);
}

function descriptorPathOf(fd: number): string | undefined {
  if (!HAS_PROC_FD) return undefined;
  const target = readlinkSync(`/proc/self/fd/${fd}`);
  return target.endsWith(' (deleted)') ? target.slice(0, -' (deleted)'.length) : target;
}

/** Refuses unless the open descriptor is the file the guard checked, inside the workspace. */
export async function verifyOpened(handle: FileHandle, path: WorkspacePath): Promise<void> {
  verifyDescriptor(handle.fd, path);
}

/** `verifyOpened` for a descriptor; returns what it found of the file. */
function verifyDescriptor(fd: number, path: WorkspacePath): BigIntStats {
  const stats = fstatSync(fd, { bigint: true });
  const identity = path.identity;
  if (identity !== undefined && (stats.dev !== identity.dev || stats.ino !== identity.ino)) {
    throw new ToolRefusal(
      `path ${quote(path.input)} was replaced between the check and the open (possibly by a symbolic link); ` +
        `it was not used`,
    );
  }
  const actual = descriptorPathOf(fd);
  if (actual !== undefined && !isInside(path.root, actual)) {
    throw new ToolRefusal(`path ${quote(path.input)} leads outside the workspace; it was not used`);
  }
  return stats;
}

/** Opens a checked, existing regular file for reading, as a `FileHandle`. */
export async function openCheckedFile(path: WorkspacePath): Promise<FileHandle> {
  refuseAllButFiles(path);
  return openChecked(path, READ_FILE, (stats) => refuseAllButOneLink(path, stats));
}

/** `openCheckedFile` without a trip through the thread pool: the descriptor, which the caller closes. */
export function openCheckedFileSync(path: WorkspacePath): OpenedFile {
  refuseAllButFiles(path);
  let fd: number;
  try {
    fd = openSync(path.absolute, READ_FILE);
  } catch (error) {
    throw openFailure(error, path);
  }
  try {
    const stats = verifyDescriptor(fd, path);
    refuseAllButOneLink(path, stats);
    return { fd, size: Number(stats.size) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Non-blocking, so a FIFO swapped in cannot hang the open; regular files ignore the flag. */
const READ_FILE = constants.O_RDONLY | NO_FOLLOW | NON_BLOCK;

function refuseAllButFiles(path: WorkspacePath): void {
  if (path.kind === 'missing') throw notFound(path);
  if (path.kind === 'directory') {
    throw new ToolRefusal(`path ${quote(path.input)} is a directory; use the list tool to see its entries`);
  }
  if (path.kind !== 'file') throw new ToolRefusal(`path ${quote(path.input)} is not a regular file`);
}

function refuseAllButOneLink(path: WorkspacePath, stats: BigIntStats): void {
  if (stats.isFile() && stats.nlink <= 1n) return;
  throw stats.isFile()
    ? hardLinked(path, Number(stats.nlink))
    : new ToolRefusal(`path ${quote(path.input)} is not a regular file`);
}

/**
 * A file with several hard links is one file under several names, and another name may lie outside the
 * workspace (`ln ~/.ssh/id_rsa notes.txt`): nothing in the workspace can tell. Its content is therefore never
 * read — nor edited, since an edit reads first. Writing it whole is allowed: the write replaces this name only.
 * The price: package managers that hard-link from a shared store (pnpm's default) leave package files the tools
 * will not show; `run_command` can still read them (inside the sandbox, which shows no outside name).
 */
export function hardLinked(path: WorkspacePath, links: number): ToolRefusal {
  return new ToolRefusal(
    `path ${quote(path.input)} has ${links} hard links: another name for the same file may be outside the ` +
      `workspace, so its content is not shown (write replaces it whole, without changing the other names)`,
  );
}

/** Opens a checked, existing directory, so a search can run inside exactly that directory. */
export async function openCheckedDirectory(path: WorkspacePath): Promise<FileHandle> {
  if (path.kind === 'missing') throw notFound(path);
  if (path.kind !== 'directory') throw new ToolRefusal(`path ${quote(path.input)} is not a directory`);
  return openChecked(path, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | NO_FOLLOW);
}

/**
 * A path through which the kernel reaches the opened directory itself (Linux: `/proc/self/fd/N`), whatever
 * happens to its name; elsewhere its checked path, verified once more.
 */
export async function openedDirectoryPath(handle: FileHandle, path: WorkspacePath): Promise<string> {
  if (HAS_PROC_FD) return `/proc/self/fd/${handle.fd}`;
  await verifyOpened(handle, path);
  return path.absolute;
}

/** Opens `path` and verifies the descriptor (then `check`s what it found), or closes it and refuses. */
async function openChecked(
  path: WorkspacePath,
  flags: number,
  check: (stats: BigIntStats) => void = () => {},
): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path.absolute, flags);
  } catch (error) {
    throw openFailure(error, path);
  }
  try {
    check(verifyDescriptor(handle.fd, path));
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function openFailure(error: unknown, path: WorkspacePath): unknown {
  // O_NOFOLLOW meets a link: ELOOP (EMLINK on FreeBSD), ENOTDIR when a directory was expected.
  if (isErrnoCode(error, 'ELOOP', 'EMLINK', 'ENOTDIR')) {
    return new ToolRefusal(
      `path ${quote(path.input)} became a symbolic link (or changed kind) after it was checked; it was not used`,
    );
  }
  if (isErrnoCode(error, 'ENOENT')) return notFound(path);
  return error;
}

export function notFound(path: WorkspacePath): ToolRefusal {
  return new ToolRefusal(`path ${quote(path.input)} does not exist; use list or glob to find the right path`);
}
