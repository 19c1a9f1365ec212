/** A JSON data file a command reads (an outcome table, an eval's gate accuracy): its text, or a UsageError. */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors/index.js';

/** Larger than any outcome table of a real benchmark (thousands of tasks × a handful of models). */
const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;

export function readDataFile(file: string, what: string, hint: string, cwd = process.cwd()): string {
  const path = resolve(cwd, file);
  const refuse = (problem: string): never => {
    throw new UsageError(`${what} ${path} ${problem}`, { hint });
  };
  let size = 0;
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return refuse('does not exist');
    if (!stats.isFile()) return refuse(stats.isDirectory() ? 'is a directory' : 'is not a regular file');
    size = stats.size;
  } catch (error) {
    return refuse(`cannot be read: ${(error as Error).message}`);
  }
  if (size > MAX_DATA_FILE_BYTES) refuse(`is ${Math.round(size / 1024 / 1024)} MiB; at most 256 MiB is read`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return refuse(`cannot be read: ${(error as Error).message}`);
  }
}
