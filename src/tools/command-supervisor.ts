/**
 * The command line that starts a command: on Linux under a bash supervisor that takes everything the command
 * started down with phasewise, even when phasewise is killed with SIGKILL at the instant it spawns it; elsewhere
 * plain `bash -c` with stderr joined to stdout.
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { HAS_PROC, TOKEN_VARIABLE } from './group-reach.js';

/**
 * On Linux the command runs under a small bash supervisor started by `setpriv --pdeathsig USR1`: when
 * phasewise dies — even by SIGKILL, when no exit hook runs — the kernel sends the supervisor SIGUSR1 and it
 * kills every process of its session, every process carrying the command's token in its environment (a daemon
 * that called setsid and forked twice keeps it), and its own group. A parent that died before the death signal
 * was armed is caught by comparing `$PPID` with our pid. The supervisor waits for the command in the background
 * (`wait` returns as soon as a trapped signal arrives) and passes its exit on: a status, or the same signal
 * re-raised on itself.
 *
 * The supervisor outlives everything it guards, so that phasewise dying at any instant still finds it there to
 * clean up. It ignores SIGTERM (the command is started with SIGTERM's default action back): a SIGTERM to the group
 * (a timeout, an abort, the background left by a command being stopped) ends the command, not the supervisor;
 * phasewise's final SIGKILL reaches it last (`group-reach.ts`). The soak tier once found 5 daemons in 1,117 kills
 * that wrote into the workspace after phasewise was killed in the grace period that follows the SIGTERM, with the
 * supervisor already gone. Ignoring the signal rather than trapping it keeps `wait` from being interrupted (the
 * command's status stays exact) and leaves no trap running when the death signal comes: bash 5.2 loses a trapped
 * signal that arrives while another trap runs, or while it expands two command substitutions in one command.
 *
 * When the command exits leaving processes behind, the supervisor reports its status on fd 3 and stays, armed,
 * until two looks 50 ms apart find none of them: were it to exit first, a kill of phasewise in between would leave
 * them running. While it stays it also checks that its parent is still phasewise, so a lost death signal cannot
 * leave it waiting.
 *
 * The supervisor's own stdout and stderr are /dev/null (the command gets the pipe as fd 4): once phasewise is
 * dead nothing reads that pipe, and a write to it — bash's "Killed" notice for the job it just killed — used to
 * end the supervisor by SIGPIPE halfway through its cleanup, leaving the command running (issue 13). Further
 * USR1s (a subreaper that dies too) are ignored so that the cleanup is never re-entered and cut short. The
 * cleanup ends only after two scans 10 ms apart find nothing: a process caught in the middle of a fork or an exec
 * can be missed by one scan of /proc (a `.ci/run` saw a daemon write 1.2 s after such a kill), not by two.
 */
const SUPERVISOR = `
exec 4>&1 >/dev/null 2>&1
TOKEN_ENTRY="${TOKEN_VARIABLE}=$3"
# The processes of the supervisor's session but itself (and the subshell that runs this), zombies left out.
members() {
  for stat in /proc/[0-9]*/stat; do
    read -r line < "$stat" || continue
    fields=(\${line##*) })
    pid=\${stat//[!0-9]/}
    [ "\${fields[3]}" = "$$" ] && [ "$pid" != "$$" ] && [ "$pid" != "$BASHPID" ] && [ "\${fields[0]}" != Z ] && echo "$pid"
  done
}
# The processes carrying the command's token.
carriers() {
  for environ in $(grep -lzxF "$TOKEN_ENTRY" /proc/[0-9]*/environ | grep -vxF "/proc/$$/environ"); do
    environ=\${environ#/proc/}; echo "\${environ%/environ}"
  done
}
# Whether anything the supervisor guards is left (one command substitution a command).
guarding() {
  left=$(members)
  [ -n "$left" ] || left=$(carriers)
  [ -n "$left" ]
}
trap 'trap "" USR1
quiet=0
for round in 1 2 3 4 5 6 7 8; do
  for pid in $(members); do kill -KILL "$pid"; done
  marked=$(carriers)
  if [ -z "$marked" ]; then
    quiet=$((quiet + 1)); [ $quiet -ge 2 ] && break; sleep 0.01; continue
  fi
  quiet=0
  for pid in $marked; do kill -KILL "$pid"; done
done
kill -KILL 0' USR1
trap '' TERM
[ "$PPID" = "$1" ] || kill -USR1 $$
( trap - TERM; ${TOKEN_VARIABLE}="$3" exec bash -c "exec 2>&1; $2" ) >&4 4>&- 3>&- &
exec 4>&-
wait $!
status=$?
if guarding; then
  trap '' PIPE
  echo "$status" >&3
  exec 3>&-
  quiet=0
  while [ $quiet -lt 2 ]; do
    read -r line < /proc/$$/stat
    fields=(\${line##*) })
    [ "\${fields[1]}" = "$1" ] || kill -USR1 $$
    sleep 0.05 & wait $!
    if guarding; then quiet=0; else quiet=$((quiet + 1)); fi
  done
fi
if [ $status -gt 128 ] && [ $status -lt 160 ]; then trap - USR1 TERM; kill -$((status - 128)) $$; fi
exit $status
`;

/** Undefined where there is no supervisor (no setpriv, or no /proc). */
export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find(
  (candidate) => HAS_PROC && existsSync(candidate),
);

export function commandLine(command: string, token: string): [string, string[]] {
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

/** A shell exit status as Node reports a child's exit: 128 + n is death by signal n. */
export function exitOf(status: number): { code: number | null; signal: NodeJS.Signals | null } {
  const name = Object.entries(constants.signals).find(([, number]) => number === status - 128)?.[0];
  return status > 128 && name !== undefined
    ? { code: null, signal: name as NodeJS.Signals }
    : { code: status, signal: null };
}
