/**
 * The disk space a folder takes: the blocks of every file below it (a file linked twice counted once), without
 * following symbolic links. A folder that is gone takes 0; a file removed while walking is skipped.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function diskUse(path: string): Promise<number> {
  const seen = new Set<string>();
  const walk = async (entry: string): Promise<number> => {
    const stats = await lstat(entry).catch(() => undefined);
    if (stats === undefined) return 0;
    const key = `${stats.dev}:${stats.ino}`;
    if (seen.has(key)) return 0;
    seen.add(key);
    // Some file systems report no blocks; the length is the next best figure.
    const own = stats.blocks > 0 || stats.size === 0 ? stats.blocks * 512 : stats.size;
    if (!stats.isDirectory()) return own;
    const children = await readdir(entry).catch(() => [] as string[]);
    let total = own;
    for (const child of children) total += await walk(join(entry, child));
    return total;
  };
  return walk(path);
}
