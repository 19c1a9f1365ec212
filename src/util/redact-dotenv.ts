/**
 * The values of a workspace's `.env` files, found and parsed without executing anything: `.env`, `.env.*`,
 * `.envrc` and `*.env` (`prod.env`, `secrets.env`), anywhere down to eight directories (deep monorepos). Example
 * files (`.env.example`, `.env.sample`, `.env.template`) are documentation, committed on purpose, and skipped,
 * as are files the user allowed (`redaction.allow_paths`).
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface DotenvEntry {
  name: string;
  /** The value as written in the file (inside its quotes) and, when escapes expand it, as the program sees it. */
  values: string[];
}

const DOTENV_FILE = /^(?:\.env(?:rc)?(?:\..+)?|[^.][^/]*\.env)$/;
const EXAMPLE_FILE = /\.(?:example|sample|template|dist|defaults)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'vendor', 'target', 'coverage', 'out']);
const MAX_DEPTH = 8;
const MAX_DIRECTORIES = 5_000;
const MAX_FILE_BYTES = 1_000_000;

/** `.env` files at the workspace root and up to eight directories down, hidden dirs skipped, allowed files too. */
export function findDotenvFiles(
  workspace: string,
  isAllowed: (path: string) => boolean = () => false,
): string[] {
  const found: string[] = [];
  const queue: Array<{ directory: string; depth: number }> = [{ directory: workspace, depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < MAX_DIRECTORIES) {
    const { directory, depth } = queue.shift()!;
    visited++;
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (DOTENV_FILE.test(entry.name) && !EXAMPLE_FILE.test(entry.name) && !entry.isDirectory()) {
        const path = join(directory, entry.name);
        if (!isAllowed(path)) found.push(path);
      } else if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.')) {
        if (!SKIPPED_DIRECTORIES.has(entry.name))
          queue.push({ directory: join(directory, entry.name), depth: depth + 1 });
      }
    }
  }
  return found;
}

export function readDotenvFile(path: string): DotenvEntry[] {
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return [];
    return parseDotenv(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*/;

/** KEY=VALUE lines; `export` prefixes; single, double and backtick quotes (double may span lines); `#` comments. */
export function parseDotenv(source: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const lines = source.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const assignment = ASSIGNMENT.exec(line);
    if (assignment === null) continue;
    const name = assignment[1]!;
    let rest = line.slice(assignment[0].length);
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // A quoted value may continue on the next lines until its closing quote.
      let body = rest.slice(1);
      while (!body.includes(quote) && index + 1 < lines.length) body += `\n${lines[++index]}`;
      const end = body.indexOf(quote);
      rest = end === -1 ? body : body.slice(0, end);
      const expanded = quote === '"' ? rest.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : rest;
      entries.push({ name, values: expanded === rest ? [rest] : [rest, expanded] });
    } else {
      const value = rest.replace(/\s+#.*$/, '').trim();
      if (value !== '') entries.push({ name, values: [value] });
    }
  }
  return entries;
}
