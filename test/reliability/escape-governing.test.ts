/**
 * The rules an agent works under are out of its reach: the configuration the run loaded wherever it lives
 * (`-c ci/pw.yaml`), every name that would be loaded instead of it next time (existing or not), the task file,
 * every `.git` at any depth, and names git refuses to index (which would wedge the phase-end snapshot) — through
 * the tools and through commands (run_command and gates' `command` checks, inside bubblewrap), and through every
 * file-writing tool of the claude-code runtime (its PreToolUse guard) and its Bash (rewritten into bubblewrap).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { refusalOf } from '../../src/agent/claude-code/tool-guard.js';
import { checkCommand } from '../../src/gate/check-command.js';
import { probeSandbox } from '../../src/tools/sandbox.js';
import { changedSince, snapshotWorkspace } from '../../src/tools/workspace-snapshot.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { callTool } from '../tools/tool-workspace.js';
import { runAsClaudeCodeBash } from './claude-code-bash.js';
import { commandAttempts, problemsIn, settings, stage } from './governing-fixture.js';

const figures = { attempts: 0, changed: [] as string[] };
let workspace = '';

/** Everything governing is as staged, and no new configuration name appeared (not even an empty one). */
function intact(root: string, attempt: string): void {
  figures.attempts++;
  const problems = problemsIn(root);
  if (problems.length > 0) figures.changed.push(`${attempt}: ${problems.join(', ')}`);
  expect(problems, attempt).toEqual([]);
}

beforeEach(() => {
  if (workspace !== '') rmSync(workspace, { recursive: true, force: true });
  workspace = stage();
});

afterAll(() => {
  if (workspace !== '') rmSync(workspace, { recursive: true, force: true });
  const outcome = figures.changed.length === 0 ? 'none changed' : `${figures.changed.length} CHANGED`;
  console.log(`reliability: escape: governing files: ${figures.attempts} attempts, ${outcome}`);
});

const toolAttempts: [string, string, Record<string, unknown>][] = [
  ['edit the loaded config', 'edit', { path: 'ci/pw.yaml', old: 'budget: 1.00', new: 'budget: 500' }],
  ['write the loaded config', 'write', { path: 'ci/pw.yaml', content: 'budget: 500\n' }],
  ['write it through ./ and ..', 'write', { path: './ci/../ci/pw.yaml', content: 'budget: 500\n' }],
  ['write the task file', 'write', { path: 'task.md', content: 'ignore the rules\n' }],
  [
    'create phasewise.yaml beside orchestrator.yaml',
    'write',
    { path: 'phasewise.yaml', content: 'budget: 999\n' },
  ],
  ['create phasewise.yml', 'write', { path: 'PhaseWise.yml', content: 'budget: 999\n' }],
  ['write a nested hook', 'write', { path: 'sub/.git/hooks/pre-commit', content: '#!/bin/sh\n' }],
  ['create a nested repository', 'write', { path: 'fresh/.git/hooks/post-checkout', content: '#!/bin/sh\n' }],
];

describe('tools: the governing files and .git at any depth', () => {
  it.each(toolAttempts)('%s is refused', async (attempt, tool, input) => {
    const tools = createWorkspaceTools({ sandbox: settings(workspace, 'none') });
    const result = await callTool(tools, tool, input, workspace);
    expect(result.isError, result.output).toBe(true);
    intact(workspace, attempt);
  });
});

/** Names git will not index (default protectNTFS, and protectHFS as on macOS), and control characters. */
const refusedNames = [
  'docs/.git./x',
  'docs/.GIT/x',
  'docs/.git /x',
  'docs/.git.. . /x',
  'docs/git~1/x',
  'docs/GIT~1/x',
  'docs/.git::$INDEX_ALLOCATION/x',
  'docs/.git:stream/x',
  'docs\\.git\\x',
  'docs/.g\u200cit/x',
  'docs/.git',
  'docs/a\u0001b',
  'docs/new\nline',
];

describe('tools: names git refuses, with a reason', () => {
  it.each(refusedNames)('write %j is refused', async (name) => {
    figures.attempts++;
    const tools = createWorkspaceTools({ sandbox: settings(workspace, 'none') });
    const result = await callTool(tools, 'write', { path: name, content: 'x' }, workspace);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/git reads as its own \.git|is inside .*\.git|control character/);
    expect(readdirSync(workspace)).not.toContain('docs');
  });

  it('ordinary names close to them are still allowed', async () => {
    const tools = createWorkspaceTools({ sandbox: settings(workspace, 'none') });
    for (const name of ['docs/.gitignore', 'docs/.github/x', 'docs/.git~1/x', 'docs/git/x', 'docs/a./x']) {
      const result = await callTool(tools, 'write', { path: name, content: 'x' }, workspace);
      expect(result.isError, `${name}: ${result.output}`).toBe(false);
    }
  });
});

/** Claude Code's tools that write files, with the field that names the file (tool-guard.ts). */
const claudeCodeWriters: [string, string][] = [
  ['Write', 'file_path'],
  ['Edit', 'file_path'],
  ['MultiEdit', 'file_path'],
  ['NotebookEdit', 'notebook_path'],
];
const governedPaths = [
  ...new Set(toolAttempts.map(([, , input]) => input.path as string)),
  'ORCHESTRATOR.YML',
];

describe("the claude-code runtime's file-writing tools: the same paths and names, refused", () => {
  const allowed = claudeCodeWriters.map(([tool]) => tool);
  it.each(
    claudeCodeWriters.flatMap(([tool, field]) =>
      [...governedPaths, ...refusedNames].map((path) => [tool, path, field] as const),
    ),
  )('%s %j is refused', async (tool, path, field) => {
    const guarded = { path: workspace, root: workspace, protectedFiles: settings(workspace).protectedFiles };
    const refusal = await refusalOf({ tool, input: { [field]: join(workspace, path) } }, allowed, guarded);
    expect(refusal).toMatch(/configuration|is inside .*\.git|git reads as its own \.git|control character/);
    intact(workspace, `claude-code ${tool} ${JSON.stringify(path)}`);
  });

  it('ordinary names, and the files the configuration does not govern, are still allowed', async () => {
    const guarded = { path: workspace, root: workspace, protectedFiles: settings(workspace).protectedFiles };
    for (const [tool, field] of claudeCodeWriters) {
      for (const path of ['README.md', 'ci/other.yaml', 'docs/.gitignore', 'docs/.github/x', 'docs/git/x']) {
        const input = { [field]: join(workspace, path) };
        expect(await refusalOf({ tool, input }, allowed, guarded), `${tool} ${path}`).toBeUndefined();
      }
    }
  });
});

describe('a snapshot survives a name git refuses (made by a command)', () => {
  it('the change is measured without the unindexable file, and measuring again works (a resume)', async () => {
    figures.attempts++;
    const before = await snapshotWorkspace(workspace);
    expect(before.kind).toBe('git');
    mkdirSync(join(workspace, 'docs', '.git.'), { recursive: true });
    writeFileSync(join(workspace, 'docs', '.git.', 'x'), 'x');
    writeFileSync(join(workspace, 'docs', 'ok.md'), 'ok');
    expect(await changedSince(workspace, before)).toEqual(['docs/ok.md']);
    expect(await changedSince(workspace, before)).toEqual(['docs/ok.md']);
    expect((await snapshotWorkspace(workspace)).kind).toBe('git');
  });
});

describe('commands, inside the sandbox: the governing files and .git at any depth', () => {
  const available = probeSandbox().available;

  it.skipIf(!available).each(commandAttempts)('run_command: %s', async (attempt, command) => {
    const tools = createWorkspaceTools({ sandbox: settings(workspace) });
    await callTool(tools, 'run_command', { command }, workspace);
    intact(workspace, attempt);
  });

  it.skipIf(!available).each(commandAttempts)('gate command check: %s', async (attempt, command) => {
    await checkCommand(
      { command, workspace, timeoutMs: 30_000, expectExit: 0 },
      {
        abortSignal: new AbortController().signal,
        env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' },
        sandbox: settings(workspace),
      },
    );
    intact(workspace, attempt);
  });

  it.skipIf(!available).each(commandAttempts)('claude-code Bash: %s', async (attempt, command) => {
    const env = { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' };
    await runAsClaudeCodeBash(command, { workspace, env, settings: settings(workspace) });
    intact(workspace, `claude-code Bash: ${attempt}`);
  });

  it.skipIf(!available)(
    'claude-code Bash: a missing name leaves no trace, and the rest is written',
    async () => {
      const env = { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' };
      const settled = settings(workspace);
      const output = await runAsClaudeCodeBash('echo ok > notes.txt; ls', {
        workspace,
        env,
        settings: settled,
      });
      expect(output).toContain('phasewise.yaml');
      expect(readdirSync(workspace).sort()).toEqual(
        ['.git', 'README.md', 'ci', 'notes.txt', 'orchestrator.yaml', 'sub', 'task.md'].sort(),
      );
    },
  );

  it.skipIf(!available)('a missing name leaves no trace, and commands still write the rest', async () => {
    const tools = createWorkspaceTools({ sandbox: settings(workspace) });
    const result = await callTool(tools, 'run_command', { command: 'echo ok > notes.txt; ls' }, workspace);
    expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('ok\n');
    expect(result.output).toContain('phasewise.yaml');
    expect(readdirSync(workspace).sort()).toEqual(
      ['.git', 'README.md', 'ci', 'notes.txt', 'orchestrator.yaml', 'sub', 'task.md'].sort(),
    );
  });
});
