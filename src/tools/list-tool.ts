/**
 * `list`: a directory's tree to a given depth, with sizes for files and file counts for directories. Built from
 * ripgrep's file walk, so it honours .gitignore; empty directories therefore do not appear. A directory whose
 * whole content is ignored is listed one level deep without the filter, saying so.
 */
import { lstatSync } from 'node:fs';
import { type FileHandle, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool, type ToolCall, type ToolSettings } from './define-tool.js';
import { LineBudget } from './output-limit.js';
import { lstatQuietly, quote, type WorkspacePath } from './path-guard.js';
import { runRipgrep, WALK_ARGS } from './ripgrep.js';
import { notFound, openCheckedDirectory, openedDirectoryPath } from './verified-open.js';

const MAX_WALKED_FILES = 50_000;
const MAX_DEPTH = 6;

const listInput = z.object({
  path: z
    .string()
    .default('.')
    .describe('Directory to list, relative to the workspace root (default: the root)'),
  depth: z
    .number()
    .int()
    .min(1)
    .max(MAX_DEPTH)
    .default(2)
    .describe(`How many levels to show, 1–${MAX_DEPTH} (default 2)`),
});

interface DirectoryNode {
  files: number;
  children: Map<string, DirectoryNode | 'file'>;
}

export function createListTool(settings: ToolSettings) {
  return defineTool(
    {
      name: 'list',
      description:
        'List a directory of the workspace as a tree: files with their size, directories with how many files ' +
        'they hold. Files ignored by .gitignore are left out, and so are .git/ and .phasewise/.',
      permission: 'read',
      input: listInput,
      run: async (input, call) => {
        const path = await call.resolvePath(input.path, 'read');
        if (path.kind === 'missing') throw notFound(path);
        if (path.kind !== 'directory') return describeSingle(path);
        const handle = await openCheckedDirectory(path);
        try {
          const base = await openedDirectoryPath(handle, path);
          const { tree, complete } = await walk({ handle, path: base }, call);
          const limit = call.settings.outputLimitBytes;
          if (tree.files === 0) return await listUnfiltered(path, base, limit);
          return render(path, base, tree, { depth: input.depth, complete, limit });
        } finally {
          await handle.close();
        }
      },
    },
    settings,
  );
}

async function walk(
  directory: { handle: FileHandle; path: string },
  call: ToolCall,
): Promise<{ tree: DirectoryNode; complete: boolean }> {
  const tree: DirectoryNode = { files: 0, children: new Map() };
  const outcome = await runRipgrep(['--files', ...WALK_ARGS], {
    directory,
    abortSignal: call.abortSignal,
    onLine: (line) => {
      addFile(tree, line.split('/'));
      return tree.files < MAX_WALKED_FILES;
    },
  });
  return { tree, complete: !outcome.stopped };
}

function addFile(tree: DirectoryNode, parts: string[]): void {
  let node = tree;
  node.files++;
  for (const [index, part] of parts.entries()) {
    if (index === parts.length - 1) {
      node.children.set(part, 'file');
      return;
    }
    let child = node.children.get(part);
    if (child === undefined || child === 'file') {
      child = { files: 0, children: new Map() };
      node.children.set(part, child);
    }
    child.files++;
    node = child;
  }
}

function render(
  path: WorkspacePath,
  base: string,
  tree: DirectoryNode,
  options: { depth: number; complete: boolean; limit: number },
): string {
  const { depth, complete, limit } = options;
  const budget = new LineBudget(limit - 300);
  const visit = (node: DirectoryNode, directory: string, level: number): void => {
    const entries = [...node.children.entries()].sort(([nameA, a], [nameB, b]) =>
      (a === 'file') === (b === 'file') ? nameA.localeCompare(nameB) : a === 'file' ? 1 : -1,
    );
    for (const [name, child] of entries) {
      if (budget.full) return;
      const indent = '  '.repeat(level);
      if (child === 'file') {
        // Asked synchronously: hundreds of awaited lstats would be as many round trips through the thread pool.
        const stats = lstatQuietly(join(directory, name));
        budget.add(`${indent}${name} (${stats === undefined ? '?' : formatSize(Number(stats.size))})`);
      } else {
        budget.add(`${indent}${name}/ (${child.files} file${child.files === 1 ? '' : 's'})`);
        if (level + 1 < depth) visit(child, join(directory, name), level + 1);
      }
    }
  };
  visit(tree, base, 0);
  const count = complete ? `${tree.files}` : `more than ${tree.files}`;
  const header = `${path.relative}/: ${count} file${count === '1' ? '' : 's'} (depth ${depth})`;
  const footer = budget.full
    ? [`[listing cut at the output limit; list a subdirectory or use a smaller depth]`]
    : [];
  return [header, ...budget.lines, ...footer].join('\n');
}

async function listUnfiltered(path: WorkspacePath, base: string, limit: number): Promise<string> {
  const entries = await readdir(base, { withFileTypes: true });
  if (entries.length === 0) return `${quote(path.input)} is an empty directory`;
  const budget = new LineBudget(limit - 300);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    budget.add(
      entry.isDirectory() ? `${entry.name}/` : entry.isSymbolicLink() ? `${entry.name} (link)` : entry.name,
    );
  }
  const footer = budget.full ? [`[${budget.omitted} more entries not shown]`] : [];
  return [
    `${path.relative}/: everything here is ignored by .gitignore (or hidden); its entries, unfiltered:`,
    ...budget.lines,
    ...footer,
  ].join('\n');
}

function describeSingle(path: WorkspacePath): string {
  return `${path.relative} is a file (${formatSize(lstatSync(path.absolute).size)}); use read to see its content`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
