/**
 * Paths the user allowed (`redaction.allow_paths`): test fixtures, examples, documentation whose content looks
 * secret on purpose. What the pattern rules and the entropy check would hide in those files is collected once,
 * when the redactor is built, and then left readable wherever it appears (so an agent can read and fix a
 * fixture). Values known to be secret — the environment's, the configured keys', `.env` files' — stay hidden
 * even there; only allowed `.env` files are not read for secrets.
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { candidateRuns, looksHighEntropySecret } from './redact-entropy.js';
import { PATTERN_RULES } from './redact-patterns.js';

const MAX_DIRECTORIES = 5_000;
const MAX_FILES = 2_000;
const MAX_FILE_BYTES = 1_000_000;
const NEVER_WALKED = new Set(['.git', '.phasewise', 'node_modules']);

/** `*` within a segment, `**` across segments, `?` one character; a match on a directory covers what it holds. */
export function allowedPathMatcher(workspace: string, globs: string[]): (path: string) => boolean {
  const matches = relativePathMatcher(globs);
  return (path) => matches(relative(workspace, path).split(sep).join('/'));
}

/** The same, for a path relative to the workspace with `/` separators (as the tools name them). */
export function relativePathMatcher(globs: string[]): (relativePath: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (relativePath) => {
    const segments = relativePath.split('/');
    if (segments[0] === '..' || segments[0] === '' || segments[0] === '.') return false;
    for (let length = segments.length; length > 0; length--) {
      const candidate = segments.slice(0, length).join('/');
      if (patterns.some((pattern) => pattern.test(candidate))) return true;
    }
    return false;
  };
}

function globToRegExp(glob: string): RegExp {
  const normalized = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let index = 0; index < normalized.length; index++) {
    const char = normalized[index]!;
    if (char === '*' && normalized[index + 1] === '*') {
      const slash = normalized[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The directory each glob starts from: its segments before the first wildcard. */
function rootsOf(workspace: string, globs: string[]): string[] {
  return globs.map((glob) => {
    const segments = glob.replace(/^\.\//, '').split('/');
    const wildcard = segments.findIndex((segment) => /[*?]/.test(segment));
    // Without a wildcard the glob names a file or a directory: start from its parent.
    return join(workspace, ...segments.slice(0, wildcard === -1 ? -1 : wildcard));
  });
}

/** Every string the redactor would hide in the allowed files. */
export function collectAllowedValues(
  workspace: string,
  globs: string[],
  isAllowed: (path: string) => boolean,
): Set<string> {
  const values = new Set<string>();
  let directories = 0;
  let files = 0;
  const seen = new Set<string>();
  const queue = rootsOf(workspace, globs);
  while (queue.length > 0 && directories < MAX_DIRECTORIES && files < MAX_FILES) {
    const directory = queue.shift()!;
    if (seen.has(directory)) continue;
    seen.add(directory);
    directories++;
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      // A glob naming one file: its root is the file itself.
      if (isAllowed(directory)) collectFrom(directory, values);
      continue;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!NEVER_WALKED.has(entry.name)) queue.push(path);
      } else if (entry.isFile() && isAllowed(path) && files++ < MAX_FILES) {
        collectFrom(path, values);
      }
    }
  }
  return values;
}

function collectFrom(path: string, values: Set<string>): void {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return;
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  addSecretLookingValues(text, values);
}

/** What the pattern rules and the entropy check would hide in `text`, added to `values`. */
export function addSecretLookingValues(text: string, values: Set<string>): void {
  for (const rule of PATTERN_RULES) {
    for (const match of text.matchAll(new RegExp(rule.pattern.source, rule.pattern.flags))) {
      values.add(match[0]);
    }
  }
  for (const { start, end } of candidateRuns(text)) {
    const match = text.slice(start, end);
    if (looksHighEntropySecret(match)) values.add(match);
  }
}
