/**
 * Without the sandbox (`sandbox: none`, or `auto` where bubblewrap is missing) nothing stops a command from
 * changing the run's rules while it runs; what phasewise promises is that none of it survives the command and
 * that each is reported: the governing files and every `.git`'s configuration and hooks are put back after the
 * command, through `run_command` and through a gate's `command` check, and the tool result, the check and a
 * `workspace-warning` say what was put back. The same attempts as the sandboxed suite (governing-fixture.ts).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/gate/check-command.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { callTool } from '../tools/tool-workspace.js';
import { commandAttempts, problemsIn, settings, stage } from './governing-fixture.js';

const figures = { attempts: 0, survived: [] as string[], unreported: [] as string[] };
let workspace = '';

function nothingSurvived(attempt: string): void {
  figures.attempts++;
  const problems = problemsIn(workspace);
  if (problems.length > 0) figures.survived.push(`${attempt}: ${problems.join(', ')}`);
  expect(problems, attempt).toEqual([]);
}

beforeEach(() => {
  if (workspace !== '') rmSync(workspace, { recursive: true, force: true });
  workspace = stage();
});

afterAll(() => {
  if (workspace !== '') rmSync(workspace, { recursive: true, force: true });
  const survived = figures.survived.length === 0 ? 'none survived' : `${figures.survived.length} SURVIVED`;
  const unreported =
    figures.unreported.length === 0 ? 'each reported' : `${figures.unreported.length} UNREPORTED`;
  console.log(
    `reliability: escape: governing files without the sandbox: ${figures.attempts} attempts, ${survived}, ${unreported}`,
  );
});

describe('commands without the sandbox: every change to the rules is put back and reported', () => {
  it.each(commandAttempts)('run_command: %s', async (attempt, command) => {
    const tools = createWorkspaceTools({ sandbox: settings(workspace, 'none') });
    const result = await callTool(tools, 'run_command', { command }, workspace);
    nothingSurvived(attempt);
    if (!/put back: (restored|removed) /.test(result.output)) figures.unreported.push(attempt);
    expect(result.output).toMatch(/put back: (restored|removed) /);
    expect(result.restored?.length ?? 0).toBeGreaterThan(0);
    expect(result.isError).toBe(true);
  });

  it.each(commandAttempts)('gate command check: %s', async (attempt, command) => {
    const told: string[] = [];
    const outcome = await checkCommand(
      { command, workspace, timeoutMs: 30_000, expectExit: 0 },
      {
        abortSignal: new AbortController().signal,
        env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' },
        sandbox: settings(workspace, 'none'),
        onRestored: (_command, restored) => told.push(...restored.map((entry) => entry.path)),
      },
    );
    nothingSurvived(`gate: ${attempt}`);
    if (told.length === 0) figures.unreported.push(`gate: ${attempt}`);
    expect(told.length).toBeGreaterThan(0);
    expect(outcome.score).toBe(0);
    expect(outcome.message).toMatch(/put back: (restored|removed) /);
  });

  it('a command that changes nothing governing is untouched and unreported', async () => {
    const tools = createWorkspaceTools({ sandbox: settings(workspace, 'none') });
    const command =
      'echo ok > notes.txt && git add README.md && git -c user.email=a@b -c user.name=a commit -qm x';
    const result = await callTool(tools, 'run_command', { command }, workspace);
    expect(result.isError, result.output).toBe(false);
    expect(result.restored).toBeUndefined();
    expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('ok\n');
  });

  it('a command that times out is put back too', async () => {
    figures.attempts++;
    const tools = createWorkspaceTools({ sandbox: settings(workspace, 'none') });
    const command = 'echo "budget: 500" > ci/pw.yaml; echo x > phasewise.yaml; sleep 30';
    const result = await callTool(tools, 'run_command', { command, timeout_seconds: 1 }, workspace);
    expect(result.output).toMatch(/timed out/);
    expect(result.output).toMatch(/put back: .*restored ci\/pw\.yaml.*removed phasewise\.yaml/);
    expect(problemsIn(workspace)).toEqual([]);
  });
});
