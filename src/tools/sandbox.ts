/**
 * The command sandbox: `run_command` and gates' `command` checks run inside bubblewrap (`bwrap`), which sees the
 * workspace read-write, the system (/usr, /etc without its secrets, the /bin and /lib links), node's install
 * directory and the toolchains on PATH read-only, and nothing else: a private /tmp, HOME an empty directory in
 * it, a /proc of its own processes only (no other process's environment or root), a minimal /dev, no
 * capabilities, and — unless the network is allowed — a loopback of its own. `--die-with-parent` and a PID
 * namespace whose first process is the command (`--as-pid-1`) mean that when the command exits, or bwrap is
 * killed with its process group, everything it started dies with it.
 *
 * It is an argv wrapper, nothing more: the command string becomes `exec bwrap … -- bash -c '<command>'`, which
 * `process-group.ts` spawns like any other command (its process group, timeouts and kills unchanged).
 */
import { realpathSync } from 'node:fs';
import type { SandboxSettings } from '../config/types.js';
import type { GroupCommandOptions, GroupCommandResult } from './process-group.js';
import { runInProcessGroup } from './process-group.js';
import { bwrapArguments, SANDBOX_HOME } from './sandbox-mounts.js';
import { probeSandbox } from './sandbox-probe.js';
import { ToolRefusal } from './tool-refusal.js';

export { probeSandbox, type SandboxAvailability, sandboxWarning } from './sandbox-probe.js';

export const DEFAULT_SANDBOX: SandboxSettings = { mode: 'auto', network: false, readOnlyPaths: [] };

/** Variables that would point a command back at the user's real home or desktop session. */
const HOST_SESSION_VARIABLES = /^(XDG_\w+|SSH_AUTH_SOCK|DBUS_SESSION_BUS_ADDRESS|GNUPGHOME|OLDPWD)$/;

export interface SandboxedCommand {
  command: string;
  env: Record<string, string>;
  sandboxed: boolean;
}

/** The command and environment to hand to the process group: wrapped in bwrap, or as they were for `none`. */
export function sandboxCommand(
  command: { command: string; cwd: string; workspace: string; env: Record<string, string> },
  settings: SandboxSettings = DEFAULT_SANDBOX,
): SandboxedCommand {
  if (settings.mode === 'none') return { command: command.command, env: command.env, sandboxed: false };
  const availability = probeSandbox();
  if (!availability.available) {
    if (settings.mode === 'auto') return { command: command.command, env: command.env, sandboxed: false };
    throw new ToolRefusal(
      `commands must run in a sandbox (sandbox: bubblewrap), and it is not available: ${availability.reason}`,
    );
  }
  // Real paths: only they exist inside the sandbox (a workspace reached through a link is bound at its target).
  const workspace = realpathSync(command.workspace);
  const cwd = realpathSync(command.cwd);
  const args = bwrapArguments({ ...command, workspace, cwd }, settings);
  const words = [availability.bwrap, ...args, '--', 'bash', '-c', command.command];
  return {
    command: `exec ${words.map(shellQuote).join(' ')}`,
    env: sandboxEnvironment({ ...command, cwd }),
    sandboxed: true,
  };
}

/** `runInProcessGroup`, with the command confined by the sandbox settings. */
export function runSandboxed(
  options: GroupCommandOptions & { workspace: string },
  settings: SandboxSettings = DEFAULT_SANDBOX,
): Promise<GroupCommandResult> {
  const { workspace, ...group } = options;
  const wrapped = sandboxCommand(
    { command: options.command, cwd: options.cwd, workspace, env: options.env },
    settings,
  );
  return runInProcessGroup({ ...group, command: wrapped.command, env: wrapped.env });
}

function sandboxEnvironment(command: { cwd: string; env: Record<string, string> }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(command.env)) {
    if (!HOST_SESSION_VARIABLES.test(name)) env[name] = value;
  }
  env.HOME = SANDBOX_HOME;
  env.TMPDIR = '/tmp';
  env.PWD = command.cwd;
  return env;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
