/**
 * Answering a run halted for manual review. The answer is journaled as the step the halted phase reads when the
 * run resumes (see phase/review-decision.ts); this module finds what is waiting and records the answer, refusing
 * anything that does not fit (no such run, nothing waiting, an ambiguous phase, a rejection without words).
 */

import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { UsageError } from '../errors/index.js';
import type { Journal } from '../journal/journal.js';
import { parseStepKey, stepAddress, stepKey } from '../journal/step-keys.js';
import { checkRecorded } from '../journal/step-schema.js';
import type { ReviewAction, ReviewDecision } from '../phase/review-decision.js';
import { escalationDecisionSchema } from '../phase/step-schemas.js';

export interface PendingReview {
  phaseId: string;
  attempt: number;
  reason: string;
}

/** Halts that no one has answered yet, in the order they happened. */
export async function pendingReviews(journal: Journal, runId: string): Promise<PendingReview[]> {
  const steps = await journal.listSteps(runId);
  const answered = new Set(steps.filter((step) => step.kind === 'review').map((step) => step.key));
  return steps.flatMap((step) => {
    if (step.kind !== 'decision') return [];
    const key = parseStepKey(step.key);
    if (key?.step !== 'decision') return [];
    const where = { location: journal.location, runId, key: step.key };
    const decision = checkRecorded(escalationDecisionSchema, step.result, where);
    if (decision.action !== 'halt' && decision.action !== 'fail') return [];
    const { phaseId, attempt } = key;
    if (answered.has(stepKey({ phaseId, attempt, step: 'review' }))) return [];
    return [{ phaseId, attempt, reason: decision.reason }];
  });
}

export interface ReviewAnswer {
  action: ReviewAction;
  phaseId?: string;
  feedback?: string;
  /** Hides secrets in the feedback before it is recorded (it is journaled and sent to the model). */
  redact?: (text: string) => string;
  now?: number;
}

export async function recordReview(
  journal: Journal,
  runId: string,
  answer: ReviewAnswer,
): Promise<PendingReview> {
  const run = await journal.getRun(runId);
  if (run === undefined)
    throw new UsageError(`no run ${runId} in ${journal.location}`, {
      hint: 'list runs with `phasewise runs`',
    });
  const waiting = (await pendingReviews(journal, runId)).filter(
    (review) => answer.phaseId === undefined || review.phaseId === answer.phaseId,
  );
  if (run.status !== 'halted' || waiting.length === 0) {
    throw new UsageError(`run ${runId} is not waiting for a review (it is ${run.status})`, {
      hint:
        run.status === 'halted' && answer.phaseId !== undefined
          ? `no halted phase named ${answer.phaseId}`
          : 'see it with `phasewise status`',
    });
  }
  if (waiting.length > 1) {
    throw new UsageError(
      `run ${runId} waits for reviews of several phases: ${waiting.map((review) => review.phaseId).join(', ')}`,
      {
        hint: 'say which with --phase <id>',
      },
    );
  }
  const feedback = answer.feedback?.trim() ?? '';
  if (answer.action === 'reject' && feedback === '') {
    throw new UsageError('a rejection needs feedback for the next attempt', {
      hint: 'reject <run> --feedback "what to change"',
    });
  }
  const pending = waiting[0]!;
  const at = new Date(answer.now ?? Date.now()).toISOString();
  const decision: ReviewDecision = {
    action: answer.action,
    feedback: feedback === '' ? null : (answer.redact?.(feedback) ?? feedback),
    by: reviewer(),
    at,
  };
  // Taken like a resume would, so an answer cannot slip in under a process that is running the run.
  const token = randomUUID();
  await journal.acquireLock(runId, { pid: process.pid, host: hostname(), since: at, token });
  try {
    await journal.recordStep({
      runId,
      ...stepAddress({ phaseId: pending.phaseId, attempt: pending.attempt, step: 'review' }),
      phaseId: pending.phaseId,
      result: decision,
      costUsd: 0,
      startedAt: at,
      endedAt: at,
    });
  } finally {
    await journal.releaseLock(runId, token);
  }
  return pending;
}

function reviewer(): string {
  try {
    return userInfo().username;
  } catch {
    return 'a reviewer';
  }
}
