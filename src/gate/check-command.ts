/**
 * `command`: a command's exit status, e.g. the tests. It runs in the workspace inside the command sandbox
 * (`tools/sandbox.ts`: nothing outside the workspace but the system and toolchains is visible), in its own
 * process group (killed whole on timeout or when the phase is aborted), with secret-looking variables removed
 * from its environment; 1 when it exits with the expected code, else 0. The tail of its output is kept as
 * evidence, redacted.
 */
import { commandEnvironment } from '../tools/command-env.js';
import { restoredEntries, restoredWarning } from '../tools/governing-fingerprint.js';
import type { GroupCommandOptions } from '../tools/process-group.js';
import { runSandboxed } from '../tools/sandbox.js';
import type { CheckOutcome, GateServices } from './gate-input.js';

export interface CommandCheckOptions {
  command: string;
  workspace: string;
  timeoutMs: number;
  expectExit: number;
  /** Pass on any non-zero exit instead (a test that must fail before the fix). */
  expectFailure?: true | undefined;
}

/** Characters of output kept as evidence: the end, where test runners print their summary. */
export const COMMAND_OUTPUT_TAIL_CHARS = 4_000;
const KILL_GRACE_MS = 2_000;

export async function checkCommand(
  options: CommandCheckOptions,
  services: GateServices,
): Promise<CheckOutcome> {
  const run =
    services.runCommand ??
    ((group: GroupCommandOptions) =>
      runSandboxed({ ...group, workspace: options.workspace }, services.sandbox));
  const result = await run({
    command: options.command,
    cwd: options.workspace,
    env: commandEnvironment(services.env ?? process.env),
    timeoutMs: options.timeoutMs,
    killGraceMs: KILL_GRACE_MS,
    abortSignal: services.abortSignal,
    headBytes: 0,
    tailBytes: COMMAND_OUTPUT_TAIL_CHARS * 4,
  });
  // The phase was stopped: that is the phase's outcome, not a verdict on the command.
  if (result.ending === 'aborted') throw services.abortSignal.reason ?? new Error('aborted');
  const rawTail = tail(result.output, COMMAND_OUTPUT_TAIL_CHARS);
  const outputTail = services.redactor === undefined ? rawTail : services.redactor.redact(rawTail);
  const restored = result.restored ?? [];
  if (restored.length > 0) services.onRestored?.(options.command, restored);
  // A check that changed the rules it is judged by cannot pass, whatever its exit code.
  const passed =
    result.ending === 'exited' && exitAsExpected(result.exitCode, options) && restored.length === 0;
  const evidence = {
    command: options.command,
    ending: result.ending,
    exitCode: result.exitCode,
    signal: result.signal,
    expectedExit: options.expectFailure === true ? 'non-zero' : options.expectExit,
    durationMs: Math.round(result.durationMs),
    outputTail,
    ...(restored.length === 0 ? {} : { restored: restoredEntries(restored) }),
  };
  const message = commandMessage(options, result);
  return {
    score: passed ? 1 : 0,
    message: restored.length === 0 ? message : `${message}; ${restoredWarning('it', restored)}`,
    evidence,
  };
}

function commandMessage(
  options: CommandCheckOptions,
  result: { ending: string; exitCode: number | null; signal: string | null },
): string {
  const command = `\`${options.command}\``;
  if (result.ending === 'timed-out') return `${command} timed out after ${formatMs(options.timeoutMs)}`;
  if (result.exitCode === null) return `${command} was killed by ${result.signal ?? 'a signal'}`;
  if (options.expectFailure === true) {
    return result.exitCode === 0
      ? `${command} exited with 0 (expected it to fail: the test must fail before the fix)`
      : `${command} failed as expected (exit ${result.exitCode})`;
  }
  const expected = result.exitCode === options.expectExit ? '' : ` (expected ${options.expectExit})`;
  return `${command} exited with ${result.exitCode}${expected}`;
}

function exitAsExpected(exitCode: number | null, options: CommandCheckOptions): boolean {
  if (exitCode === null) return false;
  return options.expectFailure === true ? exitCode !== 0 : exitCode === options.expectExit;
}

function tail(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(text.length - chars);
  const lineStart = cut.indexOf('\n');
  return `…${lineStart >= 0 && lineStart < 200 ? cut.slice(lineStart + 1) : cut}`;
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 100) / 10}s`;
}
