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
      return flagged;
    }
  }
  let answered: { phaseId: string; attempt: number };
  try {
    answered = await recordReview(journal, runId, {
      action,
      ...(options.phase === undefined ? {} : { phaseId: options.phase }),
      ...(options.feedback === undefined ? {} : { feedback: options.feedback }),
      redact: await feedbackRedactor(journal, runId, options),
    });
  } finally {
    await journal.close();
  }
  if (options.json !== true) {
    process.stderr.write(`phase ${answered.phaseId} (attempt ${answered.attempt}) ${said[action]}\n`);
  }
  const code = await resumeCommand(runId, options);
  if (
    action === 'abort' &&
    (await runAborted(() => openJournalFor(workspace, settings, options, 'read'), runId))
  ) {
    const freed = await removeWorktreesOf(workspace, runId);
    if (freed !== undefined && freed > 0 && options.json !== true) {
      process.stderr.write(`removed the run's worktrees and branches (${bytes(freed)})\n`);
    }
  }
  return code;
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
