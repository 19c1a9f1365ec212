/**
 * `run --worktree` (or `isolation: worktree`): the run works in a git worktree of the workspace's repository at
 * its current commit (`worktree/isolated-run.ts`), so the user's working tree, index and untracked files are
 * never touched; changes not committed there are not in the run, and the user is told so at start. The journal
 * stays in the user's workspace (where `status`, `report`, `resume` and `pr` look); the run's stored workflow
 * names the worktree as its workspace, so a resume or an approval goes on there. When the run succeeds its work
 * is committed on `phasewise/<run-id>`, the task as the subject and the report's summary as the body.
 */
import type { ResolvedWorkflow } from '../config/index.js';
import { UsageError } from '../errors/index.js';
import type { Journal } from '../journal/index.js';
import type { RunOutcome } from '../orchestrator/index.js';
import { buildReport, gateText, type RunReport } from '../report/index.js';
import { duration, share, usd } from '../util/format.js';
import { newRunId } from '../util/ids.js';
import { runBranchName } from '../util/run-branch.js';
import {
  commitIsolatedRun,
  createIsolatedWorktree,
  requireRepository,
  uncommittedChanges,
} from '../worktree/index.js';

export interface IsolatedStart {
  /** The workflow the run executes: its workspace is the worktree's. */
  workflow: ResolvedWorkflow;
  runId: string;
  /** What to tell the user before the run starts. */
  notice: string;
}

/** Makes the run's worktree; a workspace outside a git repository (or one without a commit) is the user's error. */
export async function startIsolatedRun(
  workflow: ResolvedWorkflow,
  generateRunId: (now: number) => string = newRunId,
): Promise<IsolatedStart> {
  const repository = await requireRepository(workflow.workspace, 'isolation').catch(() => undefined);
  if (repository === undefined) {
    throw new UsageError(`an isolated run needs a git repository: ${workflow.workspace} is not in one`, {
      hint: 'run `git init && git add -A && git commit -m init` there, or drop --worktree / `isolation: worktree`',
    });
  }
  const runId = generateRunId(Date.now());
  const worktree = await createIsolatedWorktree(repository, runId).catch((error: Error) => {
    throw new UsageError(`cannot make the run's worktree: ${error.message}`, {
      hint: 'an isolated run starts from the current commit: commit something first (`git commit`)',
    });
  });
  const changed = await uncommittedChanges(repository.top);
  const notice =
    `isolated run ${runId}: working in ${worktree.path} from ${worktree.base.slice(0, 12)} (HEAD); ` +
    `your working tree is not touched${changed > 0 ? `, and its ${changed} uncommitted change(s) are not in the run` : ''}; ` +
    `on success the work is committed on ${runBranchName(runId)}\n`;
  const overrides = { ...workflow.overrides, workspace: worktree.workspace, isolation: 'worktree' as const };
  return {
    workflow: { ...workflow, workspace: worktree.workspace, isolation: 'worktree', overrides },
    runId,
    notice,
  };
}

/** A succeeded isolated run's work committed on its branch; the line saying so, or undefined for other runs. */
export async function finishIsolatedRun(
  journal: Journal,
  outcome: RunOutcome,
  workflow: ResolvedWorkflow,
): Promise<string | undefined> {
  const branch = runBranchName(outcome.runId);
  if (workflow.isolation !== 'worktree') return undefined;
  if (outcome.status !== 'succeeded') return `branch: ${branch} (made once the run succeeds)`;
  const run = await journal.getRun(outcome.runId);
  if (run === undefined) return undefined;
  const report = await buildReport(journal, run);
  const subject = run.task.split('\n').find((line) => line.trim() !== '') ?? `phasewise run ${run.runId}`;
  const message = `${subject.trim()}\n\n${commitBody(report)}\n`;
  const committed = await commitIsolatedRun(workflow.workspace, outcome.runId, { message, date: new Date() });
  return `branch: ${committed.branch} at ${committed.commit.slice(0, 12)} (open a pull request: phasewise pr ${outcome.runId})`;
}

/** The report's summary: what it cost, what it saved, and each phase's verdict. */
export function commitBody(report: RunReport): string {
  const saved =
    report.topTier.savedShare === null
      ? ''
      : `; on the top tier (${report.topTier.model}) it would cost ${usd(report.topTier.costUsd)}, ${share(report.topTier.savedShare)} saved`;
  const phases = report.phases.map(
    (phase) => `- ${phase.id}: ${phase.status}, gate ${gateText(phase.gate)}, ${usd(phase.costUsd)}`,
  );
  return [
    `phasewise run ${report.runId} ${report.status}: spent ${usd(report.costUsd)} of ${usd(report.budgetUsd)}` +
      `${report.durationMs === null ? '' : ` in ${duration(report.durationMs)}`}${saved}.`,
    '',
    ...phases,
  ].join('\n');
}
