/**
 * Writes a file the user named (`report -o`): only ever a regular file, replaced atomically, in a folder that
 * already exists. A device (`/dev/full`), a FIFO, a socket or a folder is refused rather than replaced by a regular
 * file, and a missing folder is refused rather than created: either would silently do something the user did
 * not ask for. A symbolic link is written through: its target (a regular file) is replaced atomically; a link to nothing is refused and the link itself stays, as `>` in a shell would leave it.
 */
import { lstatSync, realpathSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

export class OutputPathError extends Error {}

export function writeOutputFile(path: string, content: string): void {
  writeFileAtomic(regularFileTarget(path), content, { createFolders: false });
}

/** The path to replace: `path` itself, or a symbolic link's final target; throws when it is not a regular file. */
function regularFileTarget(path: string): string {
  const own = statOrUndefined(() => lstatSync(path));
  if (own === undefined) {
    const folder = statOrUndefined(() => statSync(dirname(path)));
    if (folder === undefined) throw new OutputPathError(`${path}: folder ${dirname(path)} does not exist`);
    if (!folder.isDirectory()) throw new OutputPathError(`${path}: ${dirname(path)} is not a folder`);
    return path;
  }
  if (own.isSymbolicLink()) {
    const target = statOrUndefined(() => statSync(path));
    if (target === undefined) throw new OutputPathError(`${path}: is a symbolic link to nothing`);
    if (!target.isFile())
      throw new OutputPathError(`${path}: links to ${kindOf(target)}, not a regular file`);
    return realpathSync(path);
  }
  if (!own.isFile()) throw new OutputPathError(`${path}: is ${kindOf(own)}, not a regular file`);
  return path;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function statOrUndefined(read: () => Stats): Stats | undefined {
  try {
    return read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
