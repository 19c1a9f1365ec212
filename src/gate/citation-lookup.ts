/**
 * Looking citations up in the workspace, for `grounding`. Paths on disk, inside the workspace only: `..` or a
 * link leading out counts as missing and nothing outside is read. Words (symbol parts) with ripgrep, which
 * skips ignored files, `.git/` and `.phasewise/`.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../tools/path-guard.js';
import { runRipgrep, WALK_ARGS } from '../tools/ripgrep.js';
import type { PathCitation } from './citations.js';

export interface Lookup {
  citation: string;
  found: boolean;
  /** Why it counts as missing, or where a partial path was found. */
  note?: string;
}

/** Files larger than this are not read to check a cited line number. */
const MAX_LINE_CHECK_BYTES = 20 * 1024 * 1024;

export async function lookUpPath(
  citation: PathCitation,
  root: string,
  workspace: string,
  files: () => Promise<string[]>,
): Promise<Lookup> {
  const relativePath = workspaceRelative(citation.path, root, workspace);
  const candidate = path.resolve(root, relativePath);
  if (!isInside(root, candidate))
    return { citation: citation.text, found: false, note: 'outside the workspace' };
  const real = await realpath(candidate).catch(() => undefined);
  if (real === undefined) {
    const elsewhere = /^\.{0,2}\//.test(citation.path)
      ? undefined
      : findBySuffix(relativePath, await files());
    return elsewhere === undefined
      ? { citation: citation.text, found: false, note: 'not found' }
      : { citation: citation.text, found: true, note: elsewhere };
  }
  if (!isInside(root, real)) {
    return { citation: citation.text, found: false, note: 'a link leading outside the workspace' };
  }
  if (citation.line === undefined) return { citation: citation.text, found: true };
  const lines = await countLines(real);
  return lines === undefined || citation.line <= lines
    ? { citation: citation.text, found: true }
    : { citation: citation.text, found: false, note: `line ${citation.line} cited, the file has ${lines}` };
}

/** Absolute paths inside the workspace become relative; others are read as rooted at the workspace. */
function workspaceRelative(cited: string, root: string, workspace: string): string {
  if (!path.isAbsolute(cited)) return cited;
  for (const base of [root, path.resolve(workspace)]) {
    if (isInside(base, cited)) return path.relative(base, cited) || '.';
  }
  return cited.replace(/^\/+/, '');
}

/** A workspace file (or directory holding files) whose path ends with the cited one, segment-wise. */
function findBySuffix(cited: string, files: string[]): string | undefined {
  const wanted = cited.replace(/\/+$/, '');
  return files.find(
    (file) => file.endsWith(`/${wanted}`) || file.startsWith(`${wanted}/`) || file.includes(`/${wanted}/`),
  );
}

async function countLines(file: string): Promise<number | undefined> {
  const info = await stat(file);
  if (!info.isFile() || info.size > MAX_LINE_CHECK_BYTES) return undefined;
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  return last === 10 ? lines : lines + 1;
}

export async function listFiles(root: string, abortSignal: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  await runRipgrep(['--files', ...WALK_ARGS], {
    directory: { path: root },
    abortSignal,
    onLine: (line) => files.push(line.replace(/^\.\//, '')) > 0,
  });
  return files.sort();
}

/** Which of `words` occur as whole words in the workspace's files; stops searching once all have. */
export async function findWords(
  words: string[],
  root: string,
  abortSignal: AbortSignal,
): Promise<Set<string>> {
  const wanted = new Set(words);
  const seen = new Set<string>();
  if (wanted.size === 0) return seen;
  const patterns = [...wanted].flatMap((word) => ['-e', word]);
  const args = ['--only-matching', '--no-filename', '--no-line-number', '--fixed-strings', '--word-regexp'];
  await runRipgrep([...args, '--max-filesize', '5M', ...WALK_ARGS, ...patterns], {
    directory: { path: root },
    abortSignal,
    onLine: (line) => {
      if (wanted.has(line)) seen.add(line);
      return seen.size < wanted.size;
    },
  });
  return seen;
}
