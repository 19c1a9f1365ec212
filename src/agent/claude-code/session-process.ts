/**
 * The Claude Code process a session runs in: its environment (no telemetry; the session's key; credentials
 * scrubbed from the commands it runs), what a role that runs commands needs installed, and a child that dies
 * with phasewise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { UsageError } from '../../errors/index.js';
import { findOnPath, probeSandbox } from '../../tools/sandbox-probe.js';
import type { ClaudeCodeRequest } from './session-records.js';

/**
 * When Bash runs in Claude Code's own sandbox (`sandbox: none`, or phasewise's sandbox does not work here):
 * commands would inherit the session's key; on Linux Claude Code strips it from them only inside its sandbox
 * (bubblewrap, with socat for the network proxy), and refuses to run them without it. Said here, before
 * anything is spent, with the fix.
 */
export function requireCommandSandbox(env: Record<string, string | undefined>): void {
  if (process.platform !== 'linux') return;
  const missing = [
    ...(probeSandbox().available ? [] : ['bubblewrap']),
    ...(findOnPath('socat', env.PATH ?? process.env.PATH) === undefined ? ['socat'] : []),
  ];
  if (missing.length === 0) return;
  const packages = missing.join(' ');
  throw new UsageError(`a claude-code phase that runs commands needs ${packages}, not installed here`, {
    hint: `install with \`sudo apt-get install ${packages}\` (Debian, Ubuntu): Claude Code runs commands in a bubblewrap sandbox that keeps credentials out of them`,
  });
}

/** @param ownSandbox whether Claude Code's own sandbox confines Bash (phasewise's does otherwise: bash-sandbox.ts) */
export function sessionEnv(
  request: ClaudeCodeRequest,
  { ownSandbox }: { ownSandbox: boolean },
): Record<string, string | undefined> {
  const { target } = request;
  const env: Record<string, string | undefined> = {
    ...request.env,
    // No telemetry, update checks or error reports.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_AUTO_MEMORY: '1',
    CLAUDE_AGENT_SDK_CLIENT_APP: 'phasewise',
  };
  // A role that runs commands in Claude Code's own sandbox: it strips its credentials from them (on Linux, with
  // bubblewrap). In phasewise's sandbox, commands start from an environment of their own, without them.
  if (request.permissions.includes('run') && ownSandbox) env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB = '1';
  // In phasewise's sandbox a command is tidied up after when it ends (bash-sandbox.ts): none may go on running in
  // the background, whether asked for or moved there by Claude Code.
  if (request.permissions.includes('run') && !ownSandbox) env.CLAUDE_CODE_DISABLE_BACKGROUND_TASKS = '1';
  if (target.baseUrl !== undefined) env.ANTHROPIC_BASE_URL = target.baseUrl.replace(/\/v1\/?$/, '');
  // The configured key, else the key Claude Code would find by itself; without either, its own login.
  const key = process.env[target.apiKeyEnv ?? 'ANTHROPIC_API_KEY'];
  if (key !== undefined && key !== '') env.ANTHROPIC_API_KEY = key;
  return env;
}

/**
 * Claude Code as a child that dies with phasewise: on Linux, `setpriv --pdeathsig KILL` makes the kernel kill
 * it when this process dies, even by SIGKILL, so no orphaned session goes on spending or editing.
 */
export function spawnClaudeCode(
  options: {
    command: string;
    args: string[];
    cwd?: string;
    env: Record<string, string | undefined>;
    signal: AbortSignal;
  },
  onStderr: (chunk: string) => void,
): ChildProcess & { stdin: NonNullable<ChildProcess['stdin']>; stdout: NonNullable<ChildProcess['stdout']> } {
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv', options.env.PATH) : undefined;
  const [file, args] =
    setpriv === undefined
      ? [options.command, options.args]
      : [setpriv, ['--pdeathsig', 'KILL', '--', options.command, ...options.args]];
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    signal: options.signal,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  child.stderr.setEncoding('utf8').on('data', onStderr);
  return child;
}
