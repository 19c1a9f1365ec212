/** Which workspace (and so which journal) a command reads: `--workspace`, else the config's, else the cwd. */
import { existsSync, readFileSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeUtf8, findConfigFile, invalidUtf8Message, loadWorkflow } from '../config/index.js';
import { JournalError, UsageError } from '../errors/index.js';
import type { Journal } from '../journal/index.js';
import { openJournal } from '../journal/index.js';

export interface WorkspaceOptions {
  config?: string;
  workspace?: string;
}

export function locateWorkspace(options: WorkspaceOptions, cwd = process.cwd()): string {
  if (options.workspace !== undefined) return resolve(cwd, options.workspace);
  if (options.config !== undefined || findConfigFile(cwd) !== undefined) {
    return loadWorkflow({ cwd, ...(options.config === undefined ? {} : { configFile: options.config }) })
      .workspace;
  }
  return cwd;
}

/**
 * A WAL whose database is gone: opening would start a new database that SQLite might replay those frames into.
 * Returns the journal's path when there is no such log.
 */
export function refuseOrphanedWal(workspace: string): string {
  const file = resolve(workspace, '.phasewise', 'journal.db');
  if (!existsSync(file) && existsSync(`${file}-wal`)) {
    throw new JournalError(
      file,
      'is missing, but its write-ahead log journal.db-wal is there: the database was moved or deleted; nothing was changed',
      { hint: 'put journal.db back beside its -wal file; the log alone holds only the latest changes' },
    );
  }
  return file;
}

/**
 * Opens the journal of a workspace for its runs; says so plainly when there is none yet. `read` is for commands
 * that only read: they must leave a damaged journal exactly as they found it.
 */
export function openExistingJournal(workspace: string, access: 'read' | 'write' = 'write'): Journal {
  const file = refuseOrphanedWal(workspace);
  if (!existsSync(file)) {
    throw new UsageError(`no runs yet in ${workspace} (no .phasewise/journal.db)`, {
      hint: 'start one with `phasewise run "<task>"`, or point at another workspace with --workspace',
    });
  }
  return openJournal({ workspace, mustExist: true, readOnly: access === 'read' });
}

/**
 * The TASK argument: the contents of the file it names, or the text itself. Something that can only be a file
 * name (one word ending in .md or .txt, or starting with ./ or /) must exist: a typo must not become the task.
 */
export function readTaskArgument(task: string, cwd = process.cwd()): string {
  const path = resolve(cwd, task);
  const stats = task.length < 4096 && !task.includes('\0') ? statOrUndefined(path) : undefined;
  if (stats?.isFile() === true) return readTaskFile(path, stats.size);
  if (stats !== undefined && looksLikePath(task)) {
    const what = stats.isDirectory() ? 'a directory' : 'not a regular file (a device, pipe or socket)';
    throw new UsageError(`task file ${path} is ${what}`, { hint: TASK_FILE_HINT });
  }
  if (looksLikePath(task)) {
    throw new UsageError(`task file ${path} does not exist`, { hint: TASK_FILE_HINT });
  }
  return task;
}

const TASK_FILE_HINT = 'check the path, or quote the task text itself: phasewise run "Add a health endpoint"';
/** A task is read by every phase's model: a file this large is a mistake, not a task. */
export const MAX_TASK_FILE_BYTES = 1024 * 1024;

function looksLikePath(task: string): boolean {
  return /^\S+\.(md|txt|markdown)$/i.test(task) || /^\.{0,2}\/\S*$/.test(task);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // too long a name, or through a file: not a task file
  }
}

/** The task file's text: readable, not too large, UTF-8, not binary, not empty — or a UsageError saying which. */
function readTaskFile(path: string, size: number): string {
  const refuse = (problem: string): never => {
    throw new UsageError(`task file ${path} ${problem}`, { hint: TASK_FILE_HINT });
  };
  if (size > MAX_TASK_FILE_BYTES)
    refuse(`is ${(size / 1024 / 1024).toFixed(1)} MiB; a task file is at most 1 MiB`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return refuse(`cannot be read: ${(error as Error).message}`);
  }
  if (bytes.includes(0)) refuse('is a binary file (it contains NUL bytes), not text');
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const { line, column } = decoded.position;
    return refuse(`${invalidUtf8Message(decoded)} (line ${line}, column ${column})`);
  }
  if (decoded.text.trim() === '') refuse('is empty');
  return decoded.text;
}
