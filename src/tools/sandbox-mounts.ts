/**
 * What a sandboxed command sees, as bwrap arguments. Order matters: later mounts cover earlier ones, so the
 * private /tmp and home come first (a toolchain or the workspace may lie below them), the workspace last (it
 * stays writable even below a read-only path).
 */
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import type { SandboxSettings } from '../config/types.js';

/** HOME inside the sandbox: an empty directory on its private /tmp. */
export const SANDBOX_HOME = '/tmp/home';

/** Read-only from the host; symbolic links among them (merged /usr) are recreated as links. */
/** `/nix`: on NixOS every program lives in its store. */
const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/nix'];

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

export function bwrapArguments(
  command: { cwd: string; workspace: string; env: Record<string, string>; protectedMounts?: string[] },
  settings: SandboxSettings,
): string[] {
  const args = ['--die-with-parent', '--unshare-all', '--cap-drop', 'ALL', '--as-pid-1'];
  if (settings.network) args.push('--share-net');
  // A private /tmp and home first: the binds below may need mount points inside them.
  args.push('--tmpfs', '/tmp', '--dir', SANDBOX_HOME, '--tmpfs', '/var/tmp');
  for (const path of SYSTEM_PATHS) args.push(...systemPath(path));
  args.push(...etcMasks());
  if (settings.network && existsSync('/run/systemd/resolve'))
    args.push('--ro-bind', '/run/systemd/resolve', '/run/systemd/resolve');
  for (const path of toolchainPaths(command, settings)) args.push('--ro-bind', path, path);
  // The workspace last, so it is writable even where it lies under a read-only path.
  args.push('--bind', command.workspace, command.workspace);
  // What the path guard keeps tools from changing, commands may not change either (protected-mounts.ts).
  args.push(...(command.protectedMounts ?? []));
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
