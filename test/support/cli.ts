/**
 * Runs the built CLI as a real subprocess (the way users run it) and collects what it printed. Its hints name
 * `phasewise`, as for an installed CLI (`test/cli/invocation.test.ts` covers the other ways of starting it).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const binPath = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'bin.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { cwd: string; env?: Record<string, string> }): CliResult {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PHASEWISE_INVOKED_AS: 'phasewise', ...options.env },
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  done: Promise<CliResult>;
  /** Calls `onLine` for every stdout line as it arrives. */
  onLine(listener: (line: string, index: number) => void): void;
}

/** `bin`: another copy of the CLI (the crash suites run a private copy of dist/ they can rebuild); default dist/. */
export function startCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; bin?: string },
): RunningCli {
  const child = spawn(process.execPath, [options.bin ?? binPath, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', PHASEWISE_INVOKED_AS: 'phasewise', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listeners: Array<(line: string, index: number) => void> = [];
  let stdout = '';
  let stderr = '';
  let pending = '';
  let lines = 0;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      lines += 1;
      for (const listener of listeners) listener(line, lines);
      newline = pending.indexOf('\n');
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, onLine: (listener) => listeners.push(listener) };
}
