/**
 * The workspace's files as `rg --files` with the shared walking rules (`WALK_ARGS`) lists them, read in this
 * process when that gives the same answer, so a plain directory's snapshot forks nothing (a fork of a large
 * Node process costs milliseconds, and blocks the event loop while it runs).
 *
 * The in-process walk answers only where no ignore rule can apply and ripgrep's listing is plain: no `.gitignore`,
 * `.ignore` or `.rgignore` in the directory, below it or above it, no git metadata (`.git`) anywhere in it, no
 * global git excludes file (ripgrep reads it even outside git under `--no-require-git`), no directory it cannot
 * read and no name a line-by-line listing would split. Then ripgrep lists exactly the regular files, hidden ones
 * included, without following or listing symbolic links, minus `.git` and `.phasewise` at any depth — what the
 * walk does. Anything else returns `undefined`, and the caller asks ripgrep.
 */
import { type Dirent, existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Names whose presence means ignore rules (or a repository's own excludes) may apply. */
const RULE_FILES = new Set(['.gitignore', '.ignore', '.rgignore', '.git']);
/** Names the walking rules leave out at any depth (`--glob !.git --glob !.phasewise`). */
const LEFT_OUT = new Set(['.git', '.phasewise']);
/** A name ripgrep's line-per-path output would not carry as it is. */
const UNLISTABLE = /[\n\r\uFFFD]/;
/** More files than this and ripgrep's parallel walk is the better tool. */
const MAX_FILES = 20_000;

/** The workspace-relative paths of `root`'s files (unsorted), or undefined when only ripgrep can say. */
export async function walkPlainWorkspace(root: string, signal?: AbortSignal): Promise<string[] | undefined> {
  if (await rulesAround(root)) return undefined;
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const relative = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(root, relative), { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const entry of entries) {
      if (RULE_FILES.has(entry.name) || UNLISTABLE.test(entry.name)) return undefined;
      if (LEFT_OUT.has(entry.name)) continue;
      const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) pending.push(name);
      else if (entry.isFile() && files.push(name) > MAX_FILES) return undefined;
    }
  }
  return files;
}

/**
 * Whether an ignore file above `root`, a repository around it (its `info/exclude`), or the user's global git
 * excludes could hide some of its files.
 */
async function rulesAround(root: string): Promise<boolean> {
  for (let directory = path.dirname(root); ; directory = path.dirname(directory)) {
    for (const name of RULE_FILES) {
      if (existsSync(path.join(directory, name))) return true;
    }
    if (directory === path.dirname(directory)) break;
  }
  return globalExcludes();
}

/** By the home and config directories they were read from. */
const globalExcludesRead = new Map<string, Promise<boolean>>();

/**
 * Whether git's global excludes may apply: a `core.excludesFile` (or an include that could set one) in the
 * user's git config, or the default excludes file. Read once for each home directory.
 */
function globalExcludes(): Promise<boolean> {
  const home = process.env.HOME ?? homedir();
  const xdg = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  const key = `${home}\0${xdg}`;
  let read = globalExcludesRead.get(key);
  if (read !== undefined) return read;
  read = (async () => {
    for (const config of [path.join(xdg, 'git', 'config'), path.join(home, '.gitconfig')]) {
      const text = await readFile(config, 'utf8').catch(() => '');
      if (/excludesfile|\[\s*include/i.test(text)) return true;
    }
    return existsSync(path.join(xdg, 'git', 'ignore'));
  })();
  globalExcludesRead.set(key, read);
  return read;
}
