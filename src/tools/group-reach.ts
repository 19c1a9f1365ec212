/**
 * Reaching every process a command started, for stopping it: its process group, the other groups of its
 * session (`set -m` jobs), and daemons that left the session but still carry the command's token in their
 * environment. On Linux this reads /proc; elsewhere only the process group is reachable. Zombies never count as
 * alive: where PID 1 does not reap orphans (containers), a killed grandchild stays one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 25;
/** Set in each command's environment: how its daemons that left the session are found. */
export const TOKEN_VARIABLE = 'PHASEWISE_COMMAND_TOKEN';
export const HAS_PROC = process.platform === 'linux' && existsSync('/proc/self/stat');

/** SIGTERM to the group; SIGKILL to whatever is left after the grace period. Returns once all are gone. */
export async function terminateGroup(pgid: number, graceMs: number, token?: string): Promise<void> {
  signalGroup(pgid, 'SIGTERM', token);
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    if (!groupAlive(pgid, token)) return;
    await delay(POLL_MS);
  }
  // Again while any is left: a process caught mid-exec by one scan is found by the next.
  for (let attempt = 0; attempt < 40; attempt++) {
    signalGroup(pgid, 'SIGKILL', token);
    await delay(POLL_MS);
    if (!groupAlive(pgid, token)) return;
  }
}

/**
 * The group is signalled last: its leader is the command's supervisor where there is one (command-supervisor.ts),
 * which must outlive what it guards, so that phasewise dying halfway through still leaves it to finish the job.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals, token?: string): void {
  // Jobs of the same session that `set -m` moved into process groups of their own.
  // And daemons that called setsid and forked twice: they keep the command's token in their environment.
  for (const pid of HAS_PROC ? [...sessionMembers(pgid), ...tokenCarriers(token)] : []) {
    if (pid === pgid) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // Gone in the meantime.
    }
  }
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
}

/** Live processes whose session is `sid` (the command's session: its leader's pid). */
function sessionMembers(sid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = readProcStat(entry);
    if (stat !== undefined && stat.session === sid && stat.state !== 'Z' && stat.state !== 'X')
      members.push(Number(entry));
  }
  return members;
}

/**
 * Whether any live process is still in the group. On Linux, zombies do not count: where PID 1 does not reap
 * orphans (containers), a killed grandchild stays a zombie, and `kill(-pgid, 0)` would still find it.
 */
export function groupAlive(pgid: number, token?: string): boolean {
  if (!HAS_PROC) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = readProcStat(entry);
    const member = stat !== undefined && (stat.pgrp === pgid || stat.session === pgid);
    if (member && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return tokenCarriers(token).length > 0;
}

/** Live processes whose environment holds `TOKEN_VARIABLE=<token>` (none without a token). */
function tokenCarriers(token: string | undefined): number[] {
  if (token === undefined || !HAS_PROC) return [];
  const entry = `${TOKEN_VARIABLE}=${token}`;
  const carriers: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (pid.charCodeAt(0) < 48 || pid.charCodeAt(0) > 57) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // Gone, or a kernel thread.
    }
    if (!`\0${environ}`.includes(`\0${entry}\0`)) continue;
    const state = readProcStat(pid)?.state;
    if (state !== undefined && state !== 'Z' && state !== 'X') carriers.push(Number(pid));
  }
  return carriers;
}

/** State and process group from `/proc/<pid>/stat` (the command name may contain spaces and parentheses). */
export function readProcStat(
  pid: string | number,
): { state: string; pgrp: number; session: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), session: Number(fields[3]) };
}
