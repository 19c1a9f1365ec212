/**
 * An eval task set: a folder of YAML files, one task each (task text, repository and commit, hidden check). Read
 * and checked the way phasewise.yaml is: every problem of every file reported together, each at its file, line
 * and field, before anything runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/index.js';
import { parseDuration } from './duration.js';
import { IssueCollector } from './issue-collector.js';
import type { EvalTask } from './types.js';
import { parseYamlSource } from './yaml-source.js';
import { draftsFromZodIssues } from './zod-issues.js';
import { DOCUMENT_PARSE } from './zod-messages.js';

export const DEFAULT_HIDDEN_CHECK_TIMEOUT_MS = 10 * 60_000;

const taskFileSchema = z
  .object({
    task: z.string().trim().min(1),
    repository: z.string().trim().min(1),
    commit: z.string().trim().min(1),
    hidden_check: z
      .object({
        command: z.string().trim().min(1),
        timeout: z.union([z.string(), z.number()]).optional(),
      })
      .strict(),
  })
  .strict();

/** `https://…`, `ssh://…`, `file://…` or scp-like `git@host:owner/repo.git`: cloned, not used in place. */
export function isRepositoryUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[\w.-]+@[\w.-]+:/.test(value);
}

export function loadTaskSet(folder: string, cwd: string): EvalTask[] {
  const dir = resolve(cwd, folder);
  const files = taskFiles(dir);
  const tasks: EvalTask[] = [];
  const problems = [];
  for (const file of files) {
    try {
      tasks.push(loadTaskFile(file));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.issues);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return tasks;
}

function taskFiles(dir: string): string[] {
  const stats = statSync(dir, { throwIfNoEntry: false });
  if (stats === undefined || !stats.isDirectory()) {
    throw new ConfigError([
      {
        file: dir,
        line: undefined,
        column: undefined,
        path: '',
        message: stats === undefined ? 'task set not found' : 'a task set is a folder, not a file',
        hint: 'pass the folder holding one YAML file per task (see docs/eval.md)',
      },
    ]);
  }
  const files = readdirSync(dir)
    .filter((name) => ['.yaml', '.yml'].includes(extname(name)))
    .sort()
    .map((name) => join(dir, name));
  if (files.length === 0) {
    throw new ConfigError([
      {
        file: dir,
        line: undefined,
        column: undefined,
        path: '',
        message: 'the task set holds no .yaml file',
        hint: 'write one YAML file per task: task, repository, commit, hidden_check (see docs/eval.md)',
      },
    ]);
  }
  return files;
}

function loadTaskFile(file: string): EvalTask {
  const { source, issues: syntax } = parseYamlSource(file, readFileSync(file, 'utf8'));
  if (syntax.length > 0) throw new ConfigError(syntax);
  const issues = new IssueCollector(source);
  const parsed = taskFileSchema.safeParse(source.document.toJS({ maxAliasCount: 100 }) ?? {}, DOCUMENT_PARSE);
  if (!parsed.success) {
    for (const draft of draftsFromZodIssues(parsed.error.issues, taskFileSchema)) {
      issues.add(draft.path, draft.message, { hint: draft.hint, at: draft.at });
    }
    issues.throwIfAny();
    throw new Error(`internal: ${file} failed validation without an issue`);
  }
  const data = parsed.data;
  const repository = isRepositoryUrl(data.repository)
    ? data.repository
    : resolve(dirname(file), data.repository);
  if (!isRepositoryUrl(repository) && statSync(repository, { throwIfNoEntry: false }) === undefined) {
    issues.add(['repository'], `${repository} does not exist`, {
      hint: 'a path (relative to this file) of a local git repository, or a URL to clone',
    });
  }
  let timeoutMs = DEFAULT_HIDDEN_CHECK_TIMEOUT_MS;
  if (data.hidden_check.timeout !== undefined) {
    try {
      timeoutMs = parseDuration(data.hidden_check.timeout);
    } catch (error) {
      issues.add(['hidden_check', 'timeout'], (error as Error).message);
    }
  }
  issues.throwIfAny();
  return {
    id: basename(file, extname(file)),
    file,
    text: data.task,
    repository,
    remote: isRepositoryUrl(repository),
    commit: data.commit,
    hiddenCheck: { command: data.hidden_check.command, timeoutMs },
  };
}
