/**
 * A task's hidden check: its command, run in the run's worktree once the run has ended, in its own process group
 * (killed whole at the timeout), with secret-looking variables removed from its environment. Exit 0 is solved.
 * It is never in a prompt and never runs while an agent does, so no agent can see or game it.
 */
import { commandEnvironment } from '../tools/command-env.js';
import { runInProcessGroup } from '../tools/process-group.js';

export interface HiddenCheckResult {
  solved: boolean;
  ending: string;
  exitCode: number | null;
  durationMs: number;
}

/** A check command and its timeout: a task's hidden check, or `compare --check`. */
export interface CheckCommand {
  command: string;
  timeoutMs: number;
}

export async function runHiddenCheck(
  check: CheckCommand,
  worktree: string,
  abortSignal: AbortSignal,
): Promise<HiddenCheckResult> {
  const result = await runInProcessGroup({
    command: check.command,
    cwd: worktree,
    env: commandEnvironment(process.env),
    timeoutMs: check.timeoutMs,
    killGraceMs: 2_000,
    abortSignal,
    headBytes: 0,
    tailBytes: 4_096,
  });
  return {
    solved: result.ending === 'exited' && result.exitCode === 0,
    ending: result.ending,
    exitCode: result.exitCode,
    durationMs: Math.round(result.durationMs),
  };
}
