/**
 * run_command with real processes: exit codes, interleaved output, the cap, the timeout and abort stopping the
 * whole process group (a backgrounded grandchild must not survive), and no secret variables in the environment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxSettings } from '../../src/config/types.js';
import { createWorkspaceTools, type WorkspaceToolsOptions } from '../../src/tools/workspace-tools.js';
import { callTool, isRunning, makeToolWorkspace, type ToolWorkspace } from './tool-workspace.js';

let fixture: ToolWorkspace;

beforeAll(() => {
  fixture = makeToolWorkspace();
});
afterAll(() => fixture.cleanup());

const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };

/**
 * These tests watch the process group from outside, by the pids a command prints, which a PID namespace would
 * hide: they run unsandboxed. The same stops inside the sandbox are in test/reliability/escape.test.ts.
 */
const unsandboxed: SandboxSettings = { mode: 'none', network: true, readOnlyPaths: [] };

function run(command: string, options: WorkspaceToolsOptions = {}, abortSignal?: AbortSignal, extra = {}) {
  const tools = createWorkspaceTools({ env: baseEnv, killGraceMs: 300, sandbox: unsandboxed, ...options });
  return callTool(tools, 'run_command', { command, ...extra }, fixture.workspace, abortSignal);
}

/** The pid a command printed as `gc=<pid>`. */
function grandchildPid(output: string): number {
  const match = /gc=(\d+)/.exec(output);
  if (match === null) throw new Error(`no gc=<pid> in:\n${output}`);
  return Number(match[1]);
}

describe('run_command', () => {
  it('reports exit code 0 with the output', async () => {
    const result = await run('echo hello');
    expect(result.isError).toBe(false);
    expect(result.output).toMatch(/^\[exit code 0 after \d+\.\d s\]\nhello\n$/);
  });

  it('reports a failing exit code as an error result, with the output', async () => {
    const result = await run('echo partial; exit 7');
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/^\[exit code 7 after/);
    expect(result.output).toContain('partial');
  });

  it('interleaves stdout and stderr in the order written', async () => {
    const result = await run('for i in 1 2 3; do echo out$i; echo err$i >&2; done');
    expect(result.output.split('\n').slice(1, 7)).toEqual(['out1', 'err1', 'out2', 'err2', 'out3', 'err3']);
  });

  it('runs in the workspace root, without stdin', async () => {
    const result = await run('pwd; cat; echo done');
    expect(result.output).toContain(`${fixture.workspace}\ndone`);
  });

  it('strips colour codes and keeps the last state of a progress line', async () => {
    const result = await run(String.raw`printf '\033[31mred\033[0m\n10%%\r50%%\r100%%\n'`);
    expect(result.output.split('\n').slice(1, 3)).toEqual(['red', '100%']);
  });

  it('keeps the beginning and the end of long output under the cap', async () => {
    const result = await run('seq 1 100000', { outputLimitBytes: 4096 });
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(4096);
    expect(result.output).toMatch(/^\[exit code 0[^\n]*\n1\n2\n3\n/);
    expect(result.output).toMatch(/\n99999\n100000\n$/);
    expect(result.output).toMatch(/\[… \d+ bytes of output omitted …\]/);
  });

  it('on timeout stops the whole process group, grandchildren included', async () => {
    const started = Date.now();
    const result = await run('sleep 1000 & echo gc=$!; sleep 1000', { commandTimeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(
      /^\[timed out after [\d.]+ s: the command and every process it started were stopped\]/,
    );
    expect(isRunning(grandchildPid(result.output))).toBe(false);
  });

  it('also stops a job that moved to a process group of its own (set -m)', async () => {
    const result = await run('set -m; sleep 1000 & echo gc=$!; sleep 1000', { commandTimeoutMs: 500 });
    expect(result.isError).toBe(true);
    expect(isRunning(grandchildPid(result.output))).toBe(false);
  });

  it('escalates to SIGKILL for processes that ignore SIGTERM', async () => {
    const result = await run('trap "" TERM; sleep 1000 & echo gc=$!; while true; do sleep 0.05; done', {
      commandTimeoutMs: 400,
    });
    expect(result.output).toMatch(/^\[timed out/);
    expect(isRunning(grandchildPid(result.output))).toBe(false);
  });

  it('accepts a timeout from the model, within the configured maximum', async () => {
    const result = await run('sleep 5', {}, undefined, { timeout_seconds: 1 });
    expect(result.output).toMatch(/^\[timed out after [\d.]+ s/);
    const tooLong = await run('true', { maxCommandTimeoutMs: 60_000, commandTimeoutMs: 1_000 }, undefined, {
      timeout_seconds: 61,
    });
    expect(tooLong).toMatchObject({ isError: true, output: expect.stringMatching(/timeout_seconds: .*60/) });
  });

  it('on abort stops the whole process group', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('phase timed out')), 400);
    const result = await run('sleep 1000 & echo gc=$!; sleep 1000', {}, controller.signal);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/^\[aborted after [\d.]+ s/);
    expect(isRunning(grandchildPid(result.output))).toBe(false);
  });

  it('stops background processes a command leaves behind when it exits', async () => {
    const started = Date.now();
    const result = await run('sleep 1000 & echo gc=$!');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.output).toMatch(
      /^\[exit code 0 after [\d.]+ s; processes it left running in the background were stopped\]/,
    );
    expect(isRunning(grandchildPid(result.output))).toBe(false);
  });

  it('also stops background processes whose output is redirected away from the pipe', async () => {
    const result = await run('sleep 1000 >/dev/null 2>&1 & echo gc=$!');
    expect(isRunning(grandchildPid(result.output))).toBe(false);
  });

  it('hides secret environment variables from the command', async () => {
    const env = {
      ...baseEnv,
      ANTHROPIC_API_KEY: 'sk-ant-api03-planted-value-0001',
      GITHUB_TOKEN: 'ghp_plantedvalue0002',
      DB_PASSWORD: 'planted-value-0003',
      AWS_SECRET_ACCESS_KEY: 'planted-value-0004',
      STRIPE_KEY: 'planted-value-0005',
      CLIENT_SECRET: 'planted-value-0006',
      HARMLESS_SETTING: 'visible-value',
    };
    const result = await callTool(
      createWorkspaceTools({ env }),
      'run_command',
      { command: 'env' },
      fixture.workspace,
    );
    expect(result.output).toContain('HARMLESS_SETTING=visible-value');
    expect(result.output).toContain('PATH=');
    expect(result.output).not.toMatch(/planted-value|plantedvalue/);
    expect(result.output).not.toMatch(/API_KEY|GITHUB_TOKEN|PASSWORD|SECRET|STRIPE_KEY/);
  });
});
