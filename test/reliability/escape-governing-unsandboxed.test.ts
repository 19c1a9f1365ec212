/**
 * Without the sandbox (`sandbox: none`, or `auto` where bubblewrap is missing) nothing stops a command from
 * changing the run's rules while it runs; what phasewise promises is that none of it survives the command and
 * that each is reported: the governing files and every `.git`'s configuration and hooks are put back after the
 * command, through `run_command` and through a gate's `command` check, and the tool result, the check and a
 * `workspace-warning` say what was put back. The same attempts as the sandboxed suite (governing-fixture.ts).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { checkCommand } from '../../src/gate/check-command.js';
import { startFakeLlmServer } from '../../src/testing/index.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { cli, startCli } from '../support/cli.js';
import { callTool } from '../tools/tool-workspace.js';
import { commandAttempts, problemsIn, settings, stage } from './governing-fixture.js';

const KEY_ENV = 'UNSANDBOXED_E2E_LOGIN';
const KEY = 'unsandboxed-e2e-login-7Rk2';
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

describe('commands without the sandbox running at once (phases in parallel)', () => {
  it('a command started after another changed a file does not take the change for the state to put back', async () => {
    figures.attempts++;
    const tools = createWorkspaceTools({ sandbox: settings(workspace, 'none') });
    const first = callTool(
      tools,
      'run_command',
      { command: 'echo "budget: 500" > ci/pw.yaml; sleep 0.6' },
      workspace,
    );
    await delay(300);
    expect(readFileSync(join(workspace, 'ci', 'pw.yaml'), 'utf8')).toBe('budget: 500\n');
    const second = callTool(tools, 'run_command', { command: 'sleep 1' }, workspace);
    const [changer, bystander] = await Promise.all([first, second]);
    expect(changer.output).toMatch(/put back: restored ci\/pw\.yaml/);
    expect(bystander.restored).toBeUndefined();
    expect(problemsIn(workspace)).toEqual([]);
  });
});

describe('end to end: the built CLI with `sandbox: none` and `-c ci/pw.yaml`', () => {
  it('a verification command and a gate command change the rules: put back, told to the model, shown by status and report', async () => {
    figures.attempts += 2;
    const config = (baseUrl: string) => `version: 1
task: Check the project.
budget: 2.00
sandbox: none
models:
  tiers: [haiku]
  haiku: vendor:claude-haiku-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: ${KEY_ENV} }
phases:
  verification:
    escalation: [halt]
    quality_gate:
      checks:
        - kind: command
          command: git config core.hooksPath .githooks
          expect_exit: 0
`;
    const answer = builtinAgents.verification!.deliverables.map((section) =>
      section === 'Go/no-go' ? '## Go/no-go\nGo.' : `## ${section}\nDone.`,
    );
    const command =
      "sed -i 's/budget: 2.00/budget: 500/' ci/pw.yaml; echo 'budget: 999' > phasewise.yaml; " +
      'echo "#!/bin/sh" > sub/.git/hooks/pre-commit';
    const server = await startFakeLlmServer({
      script: {
        conversations: [
          {
            name: 'verification',
            match: ['## Checks run'],
            turns: [
              { toolCalls: [{ name: 'run_command', input: { command } }] },
              { text: answer.join('\n\n') },
            ],
          },
        ],
      },
      apiKey: KEY,
    });
    try {
      const text = config(server.anthropicBaseUrl);
      writeFileSync(join(workspace, 'ci', 'pw.yaml'), text);
      const env = { [KEY_ENV]: KEY, HOME: workspace };
      const run = await startCli(['run', '--json', '-c', 'ci/pw.yaml', '--workspace', '.'], {
        cwd: workspace,
        env,
      }).done;
      expect(readFileSync(join(workspace, 'ci', 'pw.yaml'), 'utf8')).toBe(text);
      expect(existsSync(join(workspace, 'phasewise.yaml'))).toBe(false);
      expect(existsSync(join(workspace, 'sub', '.git', 'hooks', 'pre-commit'))).toBe(false);
      expect(readFileSync(join(workspace, '.git', 'config'), 'utf8')).not.toContain('hooksPath');
      const warnings = run.stdout.split('\n').filter((line) => line.includes('"workspace-warning"'));
      expect(warnings, run.stderr).toHaveLength(2);
      expect(warnings[0]).toContain('restored ci/pw.yaml');
      expect(warnings[0]).toContain('removed phasewise.yaml');
      expect(warnings[0]).toContain('removed sub/.git/hooks/pre-commit');
      expect(warnings[1]).toContain('restored .git/config');
      const toModel = JSON.stringify(server.requests.map((request) => request.body));
      expect(toModel).toMatch(/put back: [^\]]*restored ci\/pw\.yaml/);
      const status = cli(['status'], { cwd: workspace, env });
      expect(status.stdout).toContain("commands without the sandbox changed the run's rules");
      expect(status.stdout).toMatch(/verification attempt 1, run_command: .*restored ci\/pw\.yaml/);
      const report = JSON.parse(cli(['report', '--format', 'json'], { cwd: workspace, env }).stdout);
      expect(report.workspaceWarnings).toHaveLength(2);
    } finally {
      await server.close();
    }
  }, 60_000);
});
