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
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import type { SandboxSettings } from '../config/types.js';
import type { GroupCommandOptions, GroupCommandResult } from './process-group.js';
import { runInProcessGroup } from './process-group.js';
import { ToolRefusal } from './tool-refusal.js';

export const DEFAULT_SANDBOX: SandboxSettings = { mode: 'auto', network: false, readOnlyPaths: [] };

/** HOME inside the sandbox: an empty directory on its private /tmp. */
export const SANDBOX_HOME = '/tmp/home';

/** Read-only from the host; symbolic links among them (merged /usr) are recreated as links. */
const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

/** Secrets in /etc, hidden when they exist (readable only by root, which a sandboxed command may still be). */
const ETC_SECRET_FILES = ['shadow', 'shadow-', 'gshadow', 'gshadow-', 'sudoers', 'security/opasswd'];
const ETC_SECRET_DIRECTORIES = [
  'sudoers.d',
  'ssl/private',
  'credstore',
  'credstore.encrypted',
  'NetworkManager/system-connections',
  'wpa_supplicant',
];

/** Variables that would point a command back at the user's real home or desktop session. */
const HOST_SESSION_VARIABLES = /^(XDG_\w+|SSH_AUTH_SOCK|DBUS_SESSION_BUS_ADDRESS|GNUPGHOME|OLDPWD)$/;

export type SandboxAvailability = { available: true; bwrap: string } | { available: false; reason: string };

let probed: SandboxAvailability | undefined;

/** Whether bubblewrap runs here (found on PATH, and able to create its namespaces); probed once. */
export function probeSandbox(): SandboxAvailability {
  probed ??= probe();
  return probed;
}

function probe(): SandboxAvailability {
  const bwrap = findOnPath('bwrap');
  if (bwrap === undefined)
    return { available: false, reason: 'bwrap (Debian/Ubuntu package bubblewrap) is not installed' };
  const result = spawnSync(
    bwrap,
    [
      '--die-with-parent',
      '--unshare-all',
      '--cap-drop',
      'ALL',
      '--ro-bind',
      '/',
      '/',
      '--proc',
      '/proc',
      'true',
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (result.status === 0) return { available: true, bwrap };
  const detail =
    (result.stderr ?? '').trim().split('\n')[0] || result.error?.message || `exit ${result.status}`;
  return { available: false, reason: `bwrap cannot create its sandbox here (${detail})` };
}

function findOnPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** The one-time warning for `auto` when the sandbox cannot be used, or undefined when there is nothing to say. */
export function sandboxWarning(settings: SandboxSettings = DEFAULT_SANDBOX): string | undefined {
  if (settings.mode !== 'auto') return undefined;
  const availability = probeSandbox();
  if (availability.available) return undefined;
  return (
    `warning: commands run WITHOUT a sandbox: ${availability.reason}. run_command and gates' command checks ` +
    'can read files outside the workspace (your home directory included). Install bubblewrap, or set ' +
    '`sandbox: bubblewrap` in phasewise.yaml to refuse to run commands without it.'
  );
}

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
  const workspace = realpathSync(command.workspace);
  const args = bwrapArguments({ ...command, workspace }, settings);
  const words = [availability.bwrap, ...args, '--', 'bash', '-c', command.command];
  return {
    command: `exec ${words.map(shellQuote).join(' ')}`,
    env: sandboxEnvironment(command),
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

function bwrapArguments(
  command: { cwd: string; workspace: string; env: Record<string, string> },
  settings: SandboxSettings,
): string[] {
  const args = ['--die-with-parent', '--unshare-all', '--cap-drop', 'ALL', '--as-pid-1'];
  if (settings.network) args.push('--share-net');
  // A private /tmp and home first: the binds below may need mount points inside them.
  args.push('--tmpfs', '/tmp', '--dir', SANDBOX_HOME);
  for (const path of SYSTEM_PATHS) args.push(...systemPath(path));
  args.push(...etcMasks());
  if (settings.network && existsSync('/run/systemd/resolve'))
    args.push('--ro-bind', '/run/systemd/resolve', '/run/systemd/resolve');
  for (const path of toolchainPaths(command, settings)) args.push('--ro-bind', path, path);
  // The workspace last, so it is writable even where it lies under a read-only path.
  args.push('--bind', command.workspace, command.workspace);
  args.push('--proc', '/proc', '--dev', '/dev', '--chdir', command.cwd);
  return args;
}

function systemPath(path: string): string[] {
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(path);
  } catch {
    return [];
  }
  if (stats.isSymbolicLink()) return ['--symlink', readlinkSync(path), path];
  return stats.isDirectory() ? ['--ro-bind', path, path] : [];
}

function etcMasks(): string[] {
  const masks: string[] = [];
  for (const file of ETC_SECRET_FILES) {
    if (existsSync(join('/etc', file))) masks.push('--ro-bind', '/dev/null', join('/etc', file));
  }
  for (const directory of ETC_SECRET_DIRECTORIES) {
    if (existsSync(join('/etc', directory))) masks.push('--tmpfs', join('/etc', directory));
  }
  for (const key of ['ssh_host_rsa_key', 'ssh_host_ecdsa_key', 'ssh_host_ed25519_key', 'ssh_host_dsa_key']) {
    if (existsSync(join('/etc/ssh', key))) masks.push('--ro-bind', '/dev/null', join('/etc/ssh', key));
  }
  return masks;
}

/**
 * Node's install directory, each PATH directory's install prefix (`…/bin` → `…`), and the configured extra
 * paths. A prefix is only taken outside the home directory (`~/.cargo` holds credentials; `~/.cargo/bin` does
 * not), and never when it would contain the workspace or the home directory: then only the bin directory.
 */
function toolchainPaths(
  command: { workspace: string; env: Record<string, string> },
  settings: SandboxSettings,
): string[] {
  const homes = [process.env.HOME, command.env.HOME]
    .map(realOrUndefined)
    .filter((path) => path !== undefined);
  const guarded = [command.workspace, ...homes];
  const containsGuarded = (path: string) => guarded.some((inner) => isInside(path, inner));
  const candidates: string[] = [];
  const node = realOrUndefined(process.execPath);
  if (node !== undefined) candidates.push(dirname(dirname(node)));
  for (const entry of (command.env.PATH ?? '').split(delimiter)) {
    const directory = realOrUndefined(entry);
    if (directory === undefined) continue;
    const prefix = dirname(directory);
    const underHome = homes.some((home) => isInside(home, directory));
    candidates.push(
      !underHome && directory.endsWith(`${sep}bin`) && !containsGuarded(prefix) ? prefix : directory,
    );
  }
  for (const extra of settings.readOnlyPaths) {
    const path = realOrUndefined(extra);
    if (path !== undefined) candidates.push(path);
  }
  const chosen: string[] = [];
  for (const path of candidates) {
    if (path === '/' || containsGuarded(path) || isInside(command.workspace, path)) continue;
    if (SYSTEM_PATHS.some((system) => isInside(system, path))) continue;
    if (!chosen.includes(path)) chosen.push(path);
  }
  return chosen;
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

function realOrUndefined(path: string | undefined): string | undefined {
  if (path === undefined || !isAbsolute(path)) return undefined;
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `inner` is `outer` or lies below it. */
function isInside(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : `${outer}${sep}`);
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
