/**
 * The files a work item names, checked and normalized: relative to the workspace, inside it, and not in the
 * places no agent may write (`.git/`, phasewise's own `.phasewise/`). The item's agent is kept to them, and
 * they end up in branch diffs and prompts, so a path that escapes is refused here rather than trusted later.
 */
import path from 'node:path';

/** Directories that are never an item's to touch. */
const FORBIDDEN_DIRECTORIES = ['.git', '.phasewise'] as const;

/** The path in its one normal form (`./src//a.ts` → `src/a.ts`, `src/` → `src`), or why it cannot be used. */
export function normalizeItemFile(file: string): { path: string } | { problem: string } {
  if (file.includes('\0')) return { problem: 'contains a NUL character' };
  if (file.includes('\\')) return { problem: 'contains a backslash: write paths with forward slashes' };
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file)) {
    return { problem: 'is absolute: give it relative to the workspace, e.g. "src/parser.ts"' };
  }
  if (file.startsWith('~')) return { problem: 'points into a home directory, outside the workspace' };
  const normal = path.posix.normalize(file).replace(/\/+$/, '');
  if (normal === '.' || normal === '') {
    return { problem: 'names the whole workspace: name the files or directories the item touches' };
  }
  if (normal === '..' || normal.startsWith('../')) return { problem: 'leaves the workspace' };
  const segments = normal.split('/');
  const forbidden = FORBIDDEN_DIRECTORIES.find((directory) => segments.includes(directory));
  if (forbidden !== undefined) return { problem: `is under ${forbidden}/, which no agent may change` };
  return { path: normal };
}
