/**
 * A person's answer from the dashboard: recorded exactly as `phasewise approve|reject|abort` records it (the same
 * function), then the run resumed in the background by a child `phasewise resume` in the run's workspace — its
 * own process, detached,
 * so stopping the dashboard does not stop the run. After an abort's resume ends, its worktrees and branches go,
 * as the CLI's abort does.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReviewAction } from '../../phase/index.js';
import { answerReview, freeAbortedRun, type ReviewCommandOptions } from '../commands/review.js';

export interface ServeJournalOptions {
  workspace: string;
  config?: string;
  /** Given to the child only when `serve` itself was given it (it is in the process list already). */
  databaseUrl?: string;
}

export interface ReviewForm {
  action: ReviewAction;
  phase?: string;
  feedback?: string;
}

/** Records the answer (throwing the CLI's own errors), then starts the resume; returns what to tell the person. */
export async function answerFromDashboard(
  runId: string,
  form: ReviewForm,
  options: ServeJournalOptions,
  log: (line: string) => void,
  runWorkspace: string | undefined,
): Promise<string> {
  const reviewOptions: ReviewCommandOptions = {
    ...options,
    ...(form.phase === undefined ? {} : { phase: form.phase }),
    ...(form.feedback === undefined ? {} : { feedback: form.feedback }),
  };
  const answer = await answerReview(form.action, runId, reviewOptions);
  if ('flagged' in answer) return 'the run is queued on a worker: its worker stops it within seconds';
  // In the run's workspace, as `phasewise resume` is run there: the configuration's paths derived from it match
  // what the run recorded (a `--workspace` would be a changed configuration).
  const inRunWorkspace = runWorkspace !== undefined && existsSync(runWorkspace);
  const args = childArguments(options, inRunWorkspace);
  const outputFile = join(tmpdir(), `phasewise-serve-resume-${runId}.log`);
  const output = openSync(outputFile, 'w', 0o600);
  const child = spawn(process.execPath, [process.argv[1]!, 'resume', runId, ...args], {
    cwd: inRunWorkspace ? runWorkspace : process.cwd(),
    detached: true,
    stdio: ['ignore', output, output],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.unref();
  closeSync(output);
  log(`run ${runId}: ${form.action} recorded for phase ${answer.phaseId}; resuming it (pid ${child.pid})`);
  child.on('exit', (code) => {
    log(
      `run ${runId}: the resume ended (exit ${code}${code === 0 ? '' : `; what it printed: ${outputFile}`})`,
    );
    if (form.action === 'abort') void freeAbortedRun(runId, reviewOptions, false).catch(() => undefined);
  });
  return `phase ${answer.phaseId} (attempt ${answer.attempt}): ${form.action} recorded; the run goes on`;
}

function childArguments(options: ServeJournalOptions, inRunWorkspace: boolean): string[] {
  return [
    ...(inRunWorkspace ? [] : ['--workspace', options.workspace]),
    ...(options.config === undefined ? [] : ['--config', options.config]),
    ...(options.databaseUrl === undefined ? [] : ['--database-url', options.databaseUrl]),
  ];
}
