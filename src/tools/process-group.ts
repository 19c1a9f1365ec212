/**
 * Running a shell command as the leader of its own process group (`detached`), so that on timeout or abort —
 * and after it exits, for anything it left running in the background — the whole group is stopped: SIGTERM,
 * then SIGKILL after a grace period. stdout and stderr share one pipe (`exec 2>&1`), so their lines interleave
 * exactly as written. The command also leads its own session (`detached` calls setsid), so on Linux a job that
 * moved to another process group of that session (`set -m; cmd &`) is found and stopped too, and so is a daemon
 * that started a new session (`setsid`, double fork): it still carries the command's token in its environment
 * (TOKEN_VARIABLE). Only a daemon that also clears its environment is out of reach without the sandbox (whose
 * PID namespace holds it); its pipe is cut. On Linux all of it also dies with phasewise, even when phasewise is
 * killed with SIGKILL at the instant it spawns the command (see command-supervisor.ts).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { commandLine, exitOf, SETPRIV } from './command-supervisor.js';
import { groupAlive, signalGroup, TOKEN_VARIABLE, terminateGroup } from './group-reach.js';
import { HeadTailBuffer } from './output-limit.js';

export type CommandEnding = 'exited' | 'timed-out' | 'aborted';

export interface GroupCommandOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  killGraceMs: number;
  abortSignal: AbortSignal;
  /** Bytes of output kept from the start and from the end. */
  headBytes: number;
  tailBytes: number;
}

export interface GroupCommandResult {
  ending: CommandEnding;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  durationMs: number;
  /** Processes the command left running after it exited were stopped. */
  stoppedBackground: boolean;
}

/** How long to wait for the pipe to close once every process we can reach is gone. */
const DRAIN_MS = 500;

/**
 * Groups still running, with their commands' tokens, killed if phasewise itself exits first (a detached group
 * would outlive it): the daemons that left the group are found by the token, and killed before the group.
 */
const runningGroups = new Map<number, string>();
let exitHookInstalled = false;

function track(pgid: number, token: string): void {
  runningGroups.set(pgid, token);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [group, token] of runningGroups) signalGroup(group, 'SIGKILL', token);
  });
}

export async function runInProcessGroup(options: GroupCommandOptions): Promise<GroupCommandResult> {
  if (options.abortSignal.aborted) {
    return {
      ending: 'aborted',
      exitCode: null,
      signal: null,
      output: '',
      durationMs: 0,
      stoppedBackground: false,
    };
  }
  const started = performance.now();
  const command = startCommand(options);
  const stop = stopWhen(options);
  try {
    const ending = await Promise.race([command.exited.then(() => 'exited' as const), stop.ending]);
    const stoppedBackground = ending === 'exited' && groupAlive(command.pgid, command.token);
    if (ending !== 'exited' || stoppedBackground)
      await terminateGroup(command.pgid, options.killGraceMs, command.token);
    const { code, signal } = await command.exited;
    const output = await command.drain();
    const durationMs = performance.now() - started;
    return { ending, exitCode: code, signal, output, durationMs, stoppedBackground };
  } finally {
    stop.dispose();
    runningGroups.delete(command.pgid);
  }
}

interface StartedCommand {
  pgid: number;
  /** In the command's environment (TOKEN_VARIABLE): finds its processes that left the session. */
  token: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits briefly for the pipe to close (a process outside the group may hold it), then cuts it. */
  drain(): Promise<string>;
}

function startCommand(options: GroupCommandOptions): StartedCommand {
  const output = new HeadTailBuffer(options.headBytes, options.tailBytes);
  const token = randomUUID();
  const [file, args] = commandLine(options.command, token);
  const child = spawn(file, args, {
    cwd: options.cwd,
    // With a supervisor only the command carries the token (the supervisor passes it on): the supervisor's own
    // helpers (grep, subshells) must not look like the command's processes.
    env: SETPRIV === undefined ? { ...options.env, [TOKEN_VARIABLE]: token } : options.env,
    detached: true,
    // fd 3: the supervisor's report of the command's exit when it stays to guard what the command left running.
    stdio: SETPRIV === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const pgid = child.pid ?? -1;
  if (pgid > 0) track(pgid, token);
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.stdio[3]?.once('data', (chunk: Buffer) => resolve(exitOf(Number(chunk.toString().trim()))));
  });
  const drain = async () => {
    await Promise.race([closed, delay(DRAIN_MS)]);
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.stdio[3]?.destroy();
    return output.text();
  };
  return { pgid, token, exited, drain };
}

/** Resolves `ending` with why the command must stop: its timeout or the caller's abort. */
function stopWhen(options: GroupCommandOptions): { ending: Promise<CommandEnding>; dispose(): void } {
  let resolveEnding: (ending: CommandEnding) => void = () => {};
  const ending = new Promise<CommandEnding>((resolve) => {
    resolveEnding = resolve;
  });
  const timer = setTimeout(() => resolveEnding('timed-out'), options.timeoutMs);
  const onAbort = () => resolveEnding('aborted');
  options.abortSignal.addEventListener('abort', onAbort, { once: true });
  return {
    ending,
    dispose: () => {
      clearTimeout(timer);
      options.abortSignal.removeEventListener('abort', onAbort);
    },
  };
}
