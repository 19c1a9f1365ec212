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

/** Opens the journal of a workspace for reading runs; says so plainly when there is none yet. */
export function openExistingJournal(workspace: string): Journal {
  if (!existsSync(resolve(workspace, '.phasewise', 'journal.db'))) {
    throw new UsageError(`no runs yet in ${workspace} (no .phasewise/journal.db)`, {
      hint: 'start one with `phasewise run "<task>"`, or point at another workspace with --workspace',
    });
  }
  return openJournal({ workspace });
}

/** The TASK argument: the text itself, or the contents of the file it names. */
export function readTaskArgument(task: string, cwd = process.cwd()): string {
  const path = resolve(cwd, task);
  if (task.length < 4096 && existsSync(path) && statSync(path).isFile()) return readFileSync(path, 'utf8');
  return task;
}
