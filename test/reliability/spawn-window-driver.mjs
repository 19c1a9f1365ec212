// Started by spawn-window.test.ts: starts one daemonizing command through the built run_command machinery, then
// SIGKILLs itself `delayMs` later (-1: synchronously, the instant spawn() returns), the way a crash would.
// With a `timeoutMs`, the command times out first and the kill comes by timer `delayMs` after the start, while
// phasewise is stopping the command (its SIGTERM sent, the grace period running).
// argv: <dist directory> <workspace> <sandbox mode> <delayMs> <command> [timeoutMs]
const [dist, workspace, mode, delay, command, timeout] = process.argv.slice(2);
const { runSandboxed } = await import(`${dist}/tools/sandbox.js`);
void runSandboxed(
  {
    command,
    cwd: workspace,
    workspace,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PHASEWISE_CRASH_MARKER: process.env.PHASEWISE_CRASH_MARKER ?? '',
    },
    timeoutMs: timeout === undefined ? 60_000 : Number(timeout),
    killGraceMs: timeout === undefined ? 1_000 : 10_000,
    abortSignal: new AbortController().signal,
    headBytes: 1_000,
    tailBytes: 1_000,
  },
  { mode, network: false, readOnlyPaths: [] },
);
const delayMs = Number(delay);
if (timeout !== undefined) {
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), delayMs);
} else {
  if (delayMs >= 0) {
    // Busy-wait: a timer could not fire before the event loop's next turn, and the window is milliseconds wide.
    const until = performance.now() + delayMs;
    while (performance.now() < until) {}
  }
  process.kill(process.pid, 'SIGKILL');
}
