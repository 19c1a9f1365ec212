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
import { realpathSync, rmSync } from 'node:fs';
import type { SandboxSettings } from '../config/types.js';
import type { RestoredPath } from './governing-fingerprint.js';
import { withGoverningRestored } from './governing-guard.js';
import type { GroupCommandOptions, GroupCommandResult } from './process-group.js';
import { runInProcessGroup } from './process-group.js';
import { cleanupMasks, gitDirectories, protectedMounts } from './protected-mounts.js';
import { bwrapArguments, SANDBOX_HOME } from './sandbox-mounts.js';
import { probeSandbox } from './sandbox-probe.js';
import { ToolRefusal } from './tool-refusal.js';

export {
  probeSandbox,
  type SandboxAvailability,
  sandboxWarning,
  startSandboxProbe,
} from './sandbox-probe.js';

export const DEFAULT_SANDBOX: SandboxSettings = { mode: 'auto', network: false, readOnlyPaths: [] };

/** Variables that would point a command back at the user's real home or desktop session. */
const HOST_SESSION_VARIABLES = /^(XDG_\w+|SSH_AUTH_SOCK|DBUS_SESSION_BUS_ADDRESS|GNUPGHOME|OLDPWD)$/;

export interface SandboxedCommand {
  command: string;
  /** The bwrap argv that runs it (`bwrap … -- bash -c <command>`); empty when the command is not confined. */
  argv: string[];
  env: Record<string, string>;
  sandboxed: boolean;
  /** Mount points bwrap creates for missing protected names, to remove after the command. */
  masks: string[];
}

/** The configuration files that govern the run (absolute), kept from commands as from tools. */
export interface CommandProtection {
  protectedFiles?: readonly string[] | undefined;
}

/** The command and environment to hand to the process group: wrapped in bwrap, or as they were for `none`. */
export function sandboxCommand(
  command: {
    command: string;
    cwd: string;
    workspace: string;
    env: Record<string, string>;
  } & CommandProtection,
  settings: SandboxSettings = DEFAULT_SANDBOX,
): SandboxedCommand {
  const unconfined = { command: command.command, argv: [], env: command.env, sandboxed: false, masks: [] };
  if (settings.mode === 'none') return unconfined;
  const availability = probeSandbox();
  if (!availability.available) {
    if (settings.mode === 'auto') return unconfined;
    throw new ToolRefusal(
      `commands must run in a sandbox (sandbox: bubblewrap), and it is not available: ${availability.reason}`,
    );
  }
  // Real paths: only they exist inside the sandbox (a workspace reached through a link is bound at its target).
  const workspace = realpathSync(command.workspace);
  const cwd = realpathSync(command.cwd);
  const mounts = protectedMounts(workspace, command.protectedFiles ?? settings.protectedFiles ?? []);
  const args = bwrapArguments({ ...command, workspace, cwd, protectedMounts: mounts.args }, settings);
  const words = [availability.bwrap, ...args, '--', 'bash', '-c', command.command];
  return {
    command: `exec ${words.map(shellQuote).join(' ')}`,
    argv: words,
    env: sandboxEnvironment({ ...command, cwd }),
    sandboxed: true,
    masks: mounts.masks,
  };
}

export interface SandboxedResult extends GroupCommandResult {
  /**
   * Governing files and git metadata a command run without the sandbox changed, put back after it ended
   * (`governing-fingerprint.ts`); always empty inside the sandbox, where they cannot be changed.
   */
  restored: RestoredPath[];
}

/**
 * `runInProcessGroup`, with the command confined by the sandbox settings. Without the sandbox, the governing
 * files and every `.git`'s configuration and hooks are read before the command and put back after it.
 */
export async function runSandboxed(
  options: GroupCommandOptions & { workspace: string } & CommandProtection,
  settings: SandboxSettings = DEFAULT_SANDBOX,
): Promise<SandboxedResult> {
  const { workspace, protectedFiles, ...group } = options;
  const wrapped = sandboxCommand(
    { command: options.command, cwd: options.cwd, workspace, env: options.env, protectedFiles },
    settings,
  );
  if (!wrapped.sandboxed) {
    const { result, restored } = await withGoverningRestored(
      workspace,
      protectedFiles ?? settings.protectedFiles ?? [],
      () => runInProcessGroup({ ...group, command: wrapped.command, env: wrapped.env }),
    );
    return { ...result, restored };
  }
  const root = realpathSync(workspace);
  const gitBefore = new Set(gitDirectories(root));
  try {
    return {
      ...(await runInProcessGroup({ ...group, command: wrapped.command, env: wrapped.env })),
      restored: [],
    };
  } finally {
    cleanupMasks(wrapped.masks);
    removeNewGitDirectories(root, gitBefore);
  }
}

/**
 * A git directory the command created (`git init sub`) could carry hooks that run, outside any sandbox, when a
 * person next uses git there; the existing ones are read-only, a new one is removed after the command.
 */
export function removeNewGitDirectories(root: string, before: ReadonlySet<string>): void {
  for (const path of gitDirectories(root)) {
    if (!before.has(path)) rmSync(path, { recursive: true, force: true });
  }
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

/** One word for `bash -c`: as is when it is plain, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
