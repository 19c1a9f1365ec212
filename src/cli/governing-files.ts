/**
 * The files that govern a run, which neither tools nor commands may change (existing or not): the
 * configuration it loaded wherever it lives (`-c ci/pw.yaml`), every name `findConfigFile` would load instead
 * of it on the next run (in the directory phasewise runs from, and at the workspace root), and the task file
 * the configuration names, and the user's workflow templates beside the configuration (`.phasewise/templates/`).
 * An agent that rewrote one would raise its own budget, drop its sandbox or change its gates for the next run
 * or a resume.
 *
 * Prompt files are not in the list: the resolved workflow keeps their text, not their paths (see README).
 */
import path from 'node:path';
import type { ResolvedWorkflow } from '../config/index.js';
import { CONFIG_FILE_NAMES, listTemplates } from '../config/index.js';
import { DEFAULT_SANDBOX } from '../tools/index.js';

export function governingFiles(workflow: ResolvedWorkflow, cwd: string): string[] {
  const files = new Set<string>();
  if (workflow.sourceFile !== null) files.add(path.resolve(workflow.sourceFile));
  for (const directory of [cwd, workflow.workspace]) {
    for (const name of CONFIG_FILE_NAMES) files.add(path.resolve(directory, name));
  }
  // The user's templates beside the configuration (`extends:`, `--template`): below the workspace root's
  // .phasewise/ they are already out of reach; a configuration in a subdirectory keeps its own.
  const configDir = workflow.sourceFile === null ? cwd : path.dirname(workflow.sourceFile);
  for (const file of userTemplateFiles(configDir)) files.add(file);
  const taskSource = workflow.task?.source;
  if (taskSource !== undefined && taskSource !== 'inline' && path.isAbsolute(taskSource))
    files.add(taskSource);
  return [...files];
}

function userTemplateFiles(directory: string): string[] {
  return listTemplates(directory)
    .filter((entry) => entry.source !== 'built-in')
    .map((entry) => path.resolve(directory, entry.source));
}

/** The workflow with its governing files kept from tools and commands (`sandbox.protectedFiles`). */
export function withGoverningFilesProtected(workflow: ResolvedWorkflow, cwd: string): ResolvedWorkflow {
  const sandbox = workflow.sandbox ?? DEFAULT_SANDBOX;
  return { ...workflow, sandbox: { ...sandbox, protectedFiles: governingFiles(workflow, cwd) } };
}
