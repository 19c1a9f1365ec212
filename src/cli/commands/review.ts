/**
 * `phasewise approve | reject | abort <run>`: answer a run halted for manual review, then continue it. An abort
 * ends the run, and takes away the worktrees and branches its fanned-out phase kept while it waited.
 */

import type { ResolvedWorkflow } from '../../config/index.js';
import type { Journal } from '../../journal/index.js';
import { recordReview } from '../../orchestrator/index.js';
import type { ReviewAction } from '../../phase/index.js';
import { liveStatus } from '../../report/index.js';
import { bytes } from '../../util/format.js';
import { locateJournal, openJournalFor } from '../journal-choice.js';
import { abortOnSharedJournal } from '../queued-runs.js';
import { removeWorktreesOf } from '../run-worktrees.js';
import { cliRedactor } from '../secrets.js';
import { type ResumeCommandOptions, resumeCommand, workflowToResume } from './run.js';

export interface ReviewCommandOptions extends ResumeCommandOptions {
  phase?: string;
  feedback?: string;
}

const said: Record<ReviewAction, string> = {
  approve: 'approved: its output is accepted as it is',
  reject: 'rejected: it will be attempted again with your feedback',
  abort: 'aborted: the run ends here',
};

export async function reviewCommand(
  action: ReviewAction,
  runId: string,
  options: ReviewCommandOptions,
): Promise<number> {
  const answer = await answerReview(action, runId, options);
  if ('flagged' in answer) return answer.flagged;
  if (options.json !== true) {
    process.stderr.write(`phase ${answer.phaseId} (attempt ${answer.attempt}) ${said[action]}\n`);
  }
  const code = await resumeCommand(runId, options);
  if (action === 'abort') await freeAbortedRun(runId, options, options.json !== true);
  return code;
}

/**
 * Records a person's answer to a halted run (the journal's review step), as `approve`/`reject`/`abort` do
 * before resuming; `phasewise serve` answers through it too. An abort of a run queued on the shared journal is
 * flagged for its worker instead (`flagged`: the exit code).
 */
export async function answerReview(
  action: ReviewAction,
  runId: string,
  options: ReviewCommandOptions,
): Promise<{ phaseId: string; attempt: number } | { flagged: number }> {
  const { workspace, settings } = locateJournal(options);
  const journal = await openJournalFor(workspace, settings, options, 'write');
  if (action === 'abort') {
    const status = (await journal.getRun(runId))?.status;
    const flagged = await abortOnSharedJournal(settings, options, runId, status).catch(async (error) => {
      await journal.close();
      throw error;
    });
    if (flagged !== undefined) {
      await journal.close();
      return { flagged };
    }
  }
  try {
    return await recordReview(journal, runId, {
      action,
      ...(options.phase === undefined ? {} : { phaseId: options.phase }),
      ...(options.feedback === undefined ? {} : { feedback: options.feedback }),
      redact: await feedbackRedactor(journal, runId, options),
    });
  } finally {
    await journal.close();
  }
}

/** After an aborted run was resumed to its end: its worktrees and branches go (`say`: tell how much was freed). */
export async function freeAbortedRun(
  runId: string,
  options: ReviewCommandOptions,
  say: boolean,
): Promise<void> {
  const { workspace, settings } = locateJournal(options);
  if (!(await runAborted(() => openJournalFor(workspace, settings, options, 'read'), runId))) return;
  const freed = await removeWorktreesOf(workspace, runId);
  if (freed !== undefined && freed > 0 && say) {
    process.stderr.write(`removed the run's worktrees and branches (${bytes(freed)})\n`);
  }
}

async function runAborted(open: () => Promise<Journal>, runId: string): Promise<boolean> {
  const journal = await open();
  try {
    const run = await journal.getRun(runId);
    return run !== undefined && (await liveStatus(journal, run)) === 'aborted';
  } finally {
    await journal.close();
  }
}

/**
 * The reviewer's words are journaled and become the next attempt's prompt: they are hidden like everything else
 * the run records, with the redactor the run itself uses (environment, `.env` files, the configured keys).
 */
async function feedbackRedactor(
  journal: Journal,
  runId: string,
  options: ReviewCommandOptions,
): Promise<((text: string) => string) | undefined> {
  const run = await journal.getRun(runId);
  if (run === undefined || options.feedback === undefined) return undefined;
  const workflow = workflowToResume(run.workflow as ResolvedWorkflow, options, process.cwd());
  return cliRedactor(workflow).redact;
}
