import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /**
   * Create missing parent folders (the default: phasewise's own files under `.phasewise/`). Off for a path the
   * user named, where a typo must fail rather than build a tree.
   */
  createFolders?: boolean;
}

/**
 * Writes a file so that a crash leaves either the old content or the new, never half of it. An existing file
 * keeps its permissions. The caller makes sure `path` is a regular file or absent (renaming over a device or a
 * FIFO would replace it): see `writeOutputFile` for a path the user named.
 */
export function writeFileAtomic(path: string, content: string, options: AtomicWriteOptions = {}): void {
  if (options.createFolders !== false) mkdirSync(dirname(path), { recursive: true });
  const mode = existingMode(path);
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}
