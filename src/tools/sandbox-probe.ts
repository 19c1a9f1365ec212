/**
 * Whether bubblewrap can sandbox commands on this machine: `bwrap` on PATH, and able to create the namespaces
 * the sandbox uses (user namespaces may be disabled, or refused to it by AppArmor). Probed once per process,
 * waited for (`probeSandbox`) or started early in the background (`startSandboxProbe`).
 */
import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { SandboxSettings } from '../config/types.js';

export type SandboxAvailability = { available: true; bwrap: string } | { available: false; reason: string };

let probed: SandboxAvailability | undefined;

/** Whether bubblewrap runs here (found on PATH, and able to create its namespaces); probed once. */
export function probeSandbox(): SandboxAvailability {
  probed ??= probe();
  return probed;
}

/**
 * Starts the probe in a child process without waiting for it, so a command's own work (reading its configuration,
 * opening its journal) overlaps it; `probeSandbox` then answers at once. Never rejects.
 */
export function startSandboxProbe(): Promise<SandboxAvailability> {
  if (probed !== undefined) return Promise.resolve(probed);
  pending ??= new Promise<SandboxAvailability>((resolve) => {
    const bwrap = findOnPath('bwrap');
    if (bwrap === undefined) return resolve(notInstalled);
    execFile(bwrap, PROBE_ARGS, { encoding: 'utf8', timeout: 10_000 }, (error, _stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve(verdict(bwrap, code, stderr, error ?? undefined));
    });
  }).then((availability) => {
    probed ??= availability;
    return probed;
  });
  return pending;
}

let pending: Promise<SandboxAvailability> | undefined;

/** bwrap creating every namespace the sandbox uses, with the root read-only, around `true`. */
const PROBE_ARGS = [
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
];

const notInstalled: SandboxAvailability = {
  available: false,
  reason: 'bwrap (Debian/Ubuntu package bubblewrap) is not installed',
};

function probe(): SandboxAvailability {
  const bwrap = findOnPath('bwrap');
  if (bwrap === undefined) return notInstalled;
  const result = spawnSync(bwrap, PROBE_ARGS, { encoding: 'utf8', timeout: 10_000 });
  return verdict(bwrap, result.status, result.stderr, result.error);
}

function verdict(
  bwrap: string,
  status: number | null,
  stderr: string | undefined,
  error: Error | undefined,
): SandboxAvailability {
  if (status === 0) return { available: true, bwrap };
  const detail = (stderr ?? '').trim().split('\n')[0] || error?.message || `exit ${status}`;
  return { available: false, reason: `bwrap cannot create its sandbox here (${detail})` };
}

/** The executable `name` in a directory of `path` (default: this process's PATH), or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const directory of path.split(delimiter)) {
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
export function sandboxWarning(settings?: SandboxSettings): string | undefined {
  if (settings !== undefined && settings.mode !== 'auto') return undefined;
  const availability = probeSandbox();
  if (availability.available) return undefined;
  return (
    `warning: commands run WITHOUT a sandbox: ${availability.reason}. run_command and gates' command checks ` +
    'can read files outside the workspace (your home directory included). Install bubblewrap, or set ' +
    '`sandbox: bubblewrap` in phasewise.yaml to refuse to run commands without it.'
  );
}
