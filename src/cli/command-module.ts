/**
 * A command's module, imported when the command runs, with Node's compile cache written out once it is loaded.
 * Node writes the cache when the process exits; a run killed before it exits (SIGKILL, a lost container) would
 * otherwise compile its modules from source at every start.
 */
import { flushCompileCache } from 'node:module';

export async function commandModule<T>(module: Promise<T>): Promise<T> {
  const loaded = await module;
  // Only what was compiled since the last flush is written; with the cache already there, this is nothing.
  flushCompileCache();
  return loaded;
}
