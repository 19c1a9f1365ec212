/** `phasewise approve | reject | abort <run>`: answer a run halted for manual review, then continue it. */

import type { ResolvedWorkflow } from '../../config/index.js';
import type { Journal } from '../../journal/index.js';
import { recordReview } from '../../orchestrator/index.js';
import type { ReviewAction } from '../../phase/index.js';
import { cliRedactor } from '../secrets.js';
import { locateWorkspace, openExistingJournal } from '../workspace.js';
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
  const journal = openExistingJournal(locateWorkspace(options));
  let answered: { phaseId: string; attempt: number };
  try {
    answered = recordReview(journal, runId, {
      action,
      ...(options.phase === undefined ? {} : { phaseId: options.phase }),
      ...(options.feedback === undefined ? {} : { feedback: options.feedback }),
      redact: feedbackRedactor(journal, runId, options),
    });
  } finally {
    journal.close();
  }
  if (options.json !== true) {
    process.stderr.write(`phase ${answered.phaseId} (attempt ${answered.attempt}) ${said[action]}\n`);
  }
  return resumeCommand(runId, options);
}

/**
 * The reviewer's words are journaled and become the next attempt's prompt: they are hidden like everything else
 * the run records, with the redactor the run itself uses (environment, `.env` files, the configured keys).
 */
function feedbackRedactor(
  journal: Journal,
  runId: string,
  options: ReviewCommandOptions,
): ((text: string) => string) | undefined {
  const run = journal.getRun(runId);
  if (run === undefined || options.feedback === undefined) return undefined;
  const workflow = workflowToResume(run.workflow as ResolvedWorkflow, options, process.cwd());
  return cliRedactor(workflow).redact;
}
