/**
 * The sha256 of each of a plain workspace's files, for its snapshot (`workspace-snapshot.ts`). A file of up to
 * `WHOLE_FILE_BYTES` is read in one synchronous call: microseconds, where streaming it took four round trips
 * through libuv's thread pool. The event loop is given back after every `YIELD_BYTES` read or `YIELD_FILES`
 * files, so other runs go on during a large workspace's snapshot. Larger files are streamed, `STREAMS` at a time.
 * A file that is gone, or is no longer a regular file, when it is read is left out.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

const WHOLE_FILE_BYTES = 1024 * 1024;
const YIELD_BYTES = 4 * 1024 * 1024;
const YIELD_FILES = 256;
const STREAMS = 16;
/** Non-blocking, so a FIFO swapped in for a file cannot hang the open (and with it the event loop). */
const READ_NOW = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** `files` (relative to `root`) with their content's sha256, in the order given; absent ones left out. */
export async function hashFiles(root: string, files: readonly string[]): Promise<Record<string, string>> {
  const hashes = new Map<string, string>();
  const large: string[] = [];
  let bytes = 0;
  let count = 0;
  for (const file of files) {
    const read = hashWhole(path.join(root, file));
    if (read === 'large') large.push(file);
    else if (read !== undefined) {
      hashes.set(file, read.hash);
      bytes += read.size;
    }
    if (++count >= YIELD_FILES || bytes >= YIELD_BYTES) {
      count = 0;
      bytes = 0;
      await nextTurn();
    }
  }
  let next = 0;
  const stream = async () => {
    while (next < large.length) {
      const file = large[next++] as string;
      const hash = await hashStreamed(path.join(root, file)).catch(() => undefined);
      if (hash !== undefined) hashes.set(file, hash);
    }
  };
  await Promise.all(Array.from({ length: Math.min(STREAMS, large.length) }, stream));
  return Object.fromEntries(files.flatMap((file) => (hashes.has(file) ? [[file, hashes.get(file)!]] : [])));
}

function hashWhole(file: string): { hash: string; size: number } | 'large' | undefined {
  let fd: number;
  try {
    fd = openSync(file, READ_NOW);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    if (stats.size > WHOLE_FILE_BYTES) return 'large';
    const content = readFileSync(fd);
    return { hash: createHash('sha256').update(content).digest('hex'), size: content.length };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

async function hashStreamed(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
