/**
 * Running a shell command as the leader of its own process group (`detached`), so that on timeout or abort —
 * and after it exits, for anything it left running in the background — the whole group is stopped: SIGTERM,
 * then SIGKILL after a grace period. stdout and stderr share one pipe (`exec 2>&1`), so their lines interleave
 * exactly as written. The command also leads its own session (`detached` calls setsid), so on Linux a job that
 * moved to another process group of that session (`set -m; cmd &`) is found and stopped too, and so is a daemon
 * that started a new session (`setsid`, double fork): it still carries the command's token in its environment
 * (TOKEN_VARIABLE). Only a daemon that also clears its environment is out of reach without the sandbox (whose
 * PID namespace holds it); its pipe is cut. On Linux all of it also dies with phasewise, even when phasewise is
 * killed with SIGKILL at the instant it spawns the command (see SUPERVISOR).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
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

const POLL_MS = 25;
/** How long to wait for the pipe to close once every process we can reach is gone. */
const DRAIN_MS = 500;
/** Set in each command's environment: how the supervisor finds its daemons that left the session. */
export const TOKEN_VARIABLE = 'PHASEWISE_COMMAND_TOKEN';
const HAS_PROC = process.platform === 'linux' && existsSync('/proc/self/stat');

/** Groups still running, killed if phasewise itself exits first (a detached group would outlive it). */
const runningGroups = new Set<number>();
let exitHookInstalled = false;

function track(pgid: number): void {
  runningGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of runningGroups) signalGroup(group, 'SIGKILL');
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
  if (pgid > 0) track(pgid);
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

/** A shell exit status as Node reports a child's exit: 128 + n is death by signal n. */
function exitOf(status: number): { code: number | null; signal: NodeJS.Signals | null } {
  const name = Object.entries(constants.signals).find(([, number]) => number === status - 128)?.[0];
  return status > 128 && name !== undefined
    ? { code: null, signal: name as NodeJS.Signals }
    : { code: status, signal: null };
}

/**
 * On Linux the command runs under a small bash supervisor started by `setpriv --pdeathsig USR1`: when
 * phasewise dies — even by SIGKILL, when no exit hook runs — the kernel sends the supervisor SIGUSR1 and it
 * kills every process of its session, every process carrying the command's token in its environment (a daemon
 * that called setsid and forked twice keeps it), and its own group. A parent that died before the death signal
 * was armed is caught by comparing `$PPID` with our pid. The supervisor waits for the command in the background
 * (`wait` returns as soon as a trapped signal arrives) and passes its exit on: a status, or the same signal
 * re-raised on itself. A group SIGTERM or SIGKILL (timeout, abort) reaches the supervisor and the command alike.
 *
 * When the command exits leaving processes behind, the supervisor reports its status on fd 3 and stays, armed,
 * until phasewise stops them and it together: were it to exit first, a kill of phasewise in between would leave
 * them running.
 *
 * The supervisor's own stdout and stderr are /dev/null (the command gets the pipe as fd 4): once phasewise is
 * dead nothing reads that pipe, and a write to it — bash's "Killed" notice for the job it just killed — used to
 * end the supervisor by SIGPIPE halfway through its cleanup, leaving the command running (issue 13). Further
 * USR1s (a subreaper that dies too) are ignored so that the cleanup is never re-entered and cut short.
 */
const SUPERVISOR = `
exec 4>&1 >/dev/null 2>&1
TOKEN_ENTRY="${TOKEN_VARIABLE}=$3"
trap 'trap "" USR1
for round in 1 2 3 4 5; do
  for stat in /proc/[0-9]*/stat; do
    read -r line < "$stat" || continue
    fields=(\${line##*) })
    [ "\${fields[3]}" = "$$" ] && [ "\${stat//[!0-9]/}" != "$$" ] && kill -KILL "\${stat//[!0-9]/}"
  done
  marked=$(grep -lzxF "$TOKEN_ENTRY" /proc/[0-9]*/environ | grep -vxF "/proc/$$/environ")
  [ -z "$marked" ] && break
  for environ in $marked; do environ=\${environ#/proc/}; kill -KILL "\${environ%/environ}"; done
done
kill -KILL 0' USR1
[ "$PPID" = "$1" ] || kill -USR1 $$
${TOKEN_VARIABLE}="$3" bash -c "exec 2>&1; $2" >&4 4>&- 3>&- &
exec 4>&-
wait $!
status=$?
leftover=$(grep -lzxF "$TOKEN_ENTRY" /proc/[0-9]*/environ | grep -vxF "/proc/$$/environ")
for stat in /proc/[0-9]*/stat; do
  read -r line < "$stat" || continue
  fields=(\${line##*) })
  [ "\${fields[3]}" = "$$" ] && [ "\${stat//[!0-9]/}" != "$$" ] && [ "\${fields[0]}" != Z ] && leftover=yes
done
if [ -n "$leftover" ]; then
  echo "$status" >&3
  exec 3>&-
  while :; do sleep 1 & wait $!; done
fi
if [ $status -gt 128 ] && [ $status -lt 160 ]; then trap - USR1; kill -$((status - 128)) $$; fi
exit $status
`;

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => HAS_PROC && existsSync(candidate));

function commandLine(command: string, token: string): [string, string[]] {
  if (SETPRIV === undefined) return ['bash', ['-c', `exec 2>&1; ${command}`]];
  return [
    SETPRIV,
    [
      '--pdeathsig',
      'USR1',
      '--',
      'bash',
      '-c',
      SUPERVISOR,
      'phasewise-command',
      String(process.pid),
      command,
      token,
    ],
  ];
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

/** SIGTERM to the group; SIGKILL to whatever is left after the grace period. Returns once all are gone. */
export async function terminateGroup(pgid: number, graceMs: number, token?: string): Promise<void> {
  signalGroup(pgid, 'SIGTERM', token);
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    if (!groupAlive(pgid, token)) return;
    await delay(POLL_MS);
  }
  signalGroup(pgid, 'SIGKILL', token);
  for (let attempt = 0; attempt < 40 && groupAlive(pgid, token); attempt++) await delay(POLL_MS);
}

function signalGroup(pgid: number, signal: NodeJS.Signals, token?: string): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
  // Jobs of the same session that `set -m` moved into process groups of their own.
  // And daemons that called setsid and forked twice: they keep the command's token in their environment.
  for (const pid of HAS_PROC ? [...sessionMembers(pgid), ...tokenCarriers(token)] : []) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone in the meantime.
    }
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
