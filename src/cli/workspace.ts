/** Which workspace (and so which journal) a command reads: `--workspace`, else the config's, else the cwd. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { findConfigFile, loadWorkflow } from '../config/index.js';
import { UsageError } from '../errors/index.js';
import { openJournal } from '../journal/index.js';
import type { Journal } from '../journal/journal.js';

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
 * Opens the journal of a workspace for its runs; says so plainly when there is none yet. `read` is for commands
 * that only read: they must leave a damaged journal exactly as they found it.
 */
export function openExistingJournal(workspace: string, access: 'read' | 'write' = 'write'): Journal {
  if (!existsSync(resolve(workspace, '.phasewise', 'journal.db'))) {
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
  if (task.length < 4096 && existsSync(path) && statSync(path).isFile()) return readFileSync(path, 'utf8');
  if (/^\S+\.(md|txt|markdown)$/i.test(task) || /^\.{0,2}\/\S*$/.test(task)) {
    throw new UsageError(`task file ${path} does not exist`, {
      hint: 'check the path, or quote the task text itself: phasewise run "Add a health endpoint"',
    });
  }
  return task;
}
