import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { loadWorkflow } from '../../src/config/index.js';
import { ConfigError, type ConfigIssue } from '../../src/errors/index.js';

/** Real files in a temporary directory, removed after the test file: the loader reads the disk, so do tests. */
const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phasewise-config-'));
  created.push(dir);
  return dir;
}

/** One argument per line, so a test's line numbers can be read off its source. */
export function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}

/** Writes `phasewise.yaml` (and any other files, relative to the same directory) into a fresh directory. */
export function writeConfig(yaml: string, files: Record<string, string> = {}): { dir: string; file: string } {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const file = path.join(dir, 'phasewise.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

export function loadYaml(yaml: string, files: Record<string, string> = {}) {
  const { dir } = writeConfig(yaml, files);
  return loadWorkflow({ cwd: dir });
}

/** The ConfigError that loading `yaml` throws; fails the test when loading succeeds or throws something else. */
export function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

export function rejectionOf(yaml: string, files: Record<string, string> = {}) {
  const { dir, file } = writeConfig(yaml, files);
  return { error: configErrorOf(() => loadWorkflow({ cwd: dir })), file, dir };
}

/** The only issue at `fieldPath`; fails when there is none or more than one. */
export function issueAt(error: ConfigError, fieldPath: string): ConfigIssue {
  const matches = error.issues.filter((issue) => issue.path === fieldPath);
  expect(matches, `issues at ${fieldPath} in:\n${error.message}`).toHaveLength(1);
  return matches[0] as ConfigIssue;
}

/** `file:line:col` of an issue, for compact assertions. */
export function where(issue: ConfigIssue): string {
  return `${path.basename(issue.file ?? '')}:${issue.line}:${issue.column}`;
}
