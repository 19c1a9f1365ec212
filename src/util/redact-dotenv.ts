/**
 * The values of a workspace's `.env` files, found and parsed without executing anything: `.env`, `.env.*`,
 * `.envrc` and `*.env` (`prod.env`, `secrets.env`), anywhere down to eight directories (deep monorepos). Example
 * files (`.env.example`, `.env.sample`, `.env.template`) are documentation, committed on purpose, and skipped,
 * as are files the user allowed (`redaction.allow_paths`). The same walk finds the credential files.
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CREDENTIAL_DIRECTORIES, type CredentialKind, credentialKindOf } from './redact-credential-files.js';

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
/** More credential files than this in one workspace are test data, not a developer's own. */
const MAX_CREDENTIAL_FILES = 100;

export interface SecretFiles {
  dotenv: string[];
  credentials: Array<{ path: string; kind: CredentialKind }>;
}

/**
 * `.env` files and credential files by name (redact-credential-files.ts) at the workspace root and up to eight
 * directories down, in one walk: hidden directories are skipped but `.aws` and `.docker`, and so are allowed files.
 */
export function findSecretFiles(
  workspace: string,
  isAllowed: (path: string) => boolean = () => false,
): SecretFiles {
  const found: SecretFiles = { dotenv: [], credentials: [] };
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
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        const enters = !entry.name.startsWith('.') || CREDENTIAL_DIRECTORIES.has(entry.name);
        if (depth < MAX_DEPTH && enters && !SKIPPED_DIRECTORIES.has(entry.name))
          queue.push({ directory: path, depth: depth + 1 });
        continue;
      }
      if (isAllowed(path)) continue;
      if (DOTENV_FILE.test(entry.name) && !EXAMPLE_FILE.test(entry.name)) {
        found.dotenv.push(path);
        continue;
      }
      const kind = credentialKindOf(entry.name, basename(directory));
      if (kind !== undefined && found.credentials.length < MAX_CREDENTIAL_FILES)
        found.credentials.push({ path, kind });
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
