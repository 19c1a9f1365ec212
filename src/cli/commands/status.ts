/** `phasewise status [<run>]` and `phasewise runs`: where runs stand, from the journal alone. */
import pc from 'picocolors';
import { UsageError } from '../../errors/index.js';
import {
  cutOffLines,
  liveStatus,
  retriesText,
  stoppedAttempts,
  summarizeJournal,
  TOKENS_HEADER,
  tokensText,
  workspaceWarningLines,
} from '../../report/index.js';
import { bytes, duration, jsonWithMoney, table, taskTitle, truncate, usd } from '../../util/format.js';
import { runBranchName } from '../../util/run-branch.js';
import { type JournalOptions, locateJournal, openJournalFor } from '../journal-choice.js';
import { fromRecords } from '../journal-records.js';
import { nextStep } from '../next-step.js';
import { workerCell, workerJson, workersOnSharedJournal, workerText } from '../queued-runs.js';
import { phaseTable } from '../render/phase-table.js';
import { type RunWorktrees, runWorktrees } from '../run-worktrees.js';
import type { WorkspaceOptions } from '../workspace.js';

export interface ListOptions extends WorkspaceOptions, JournalOptions {
  json?: boolean;
}

const CLEAN_HINT = '`phasewise clean` removes them';

export async function statusCommand(runId: string | undefined, options: ListOptions): Promise<number> {
  const { workspace, settings } = locateJournal(options);
  const journal = await openJournalFor(workspace, settings, options, 'read');
  try {
    const run = runId === undefined ? (await journal.listRuns())[0] : await journal.getRun(runId);
    if (run === undefined) {
      throw new UsageError(runId === undefined ? 'no runs yet' : `no run ${runId} in ${journal.location}`, {
        hint: 'list runs with `phasewise runs`',
      });
    }
    // The one run summary every view renders (its status looked at live: a dead holder's run is interrupted).
    const summary = await fromRecords(journal, run.runId, () => summarizeJournal(journal, run));
    const worktrees = (await runWorktrees(workspace, journal)).find((entry) => entry.runId === run.runId);
    const worker = (await workersOnSharedJournal(settings, options)).get(run.runId);
    if (options.json === true) {
      const isolated = (run.workflow as { isolation?: string }).isolation === 'worktree';
      const withBranch = isolated ? { ...summary, branch: runBranchName(run.runId) } : summary;
      const withWorker = worker === undefined ? withBranch : { ...withBranch, ...workerJson(worker) };
      const json =
        worktrees === undefined ? withWorker : { ...withWorker, worktrees: worktreesJson(worktrees) };
      process.stdout.write(`${jsonWithMoney(json)}\n`);
      return 0;
    }
    const head = [
      `run ${pc.bold(run.runId)}  ${summary.status}${run.exitCode === null ? '' : ` (exit ${run.exitCode})`}`,
      `task: ${truncate(summary.title, 100)}`,
      `workspace: ${run.workspace}`,
      ...((run.workflow as { isolation?: string }).isolation === 'worktree'
        ? [
            `branch: ${runBranchName(run.runId)} (isolated run; ${summary.status === 'succeeded' ? `\`phasewise pr ${run.runId}\` opens a pull request` : 'made once the run succeeds'})`,
          ]
        : []),
      ...(worker === undefined ? [] : [`worker: ${workerText(worker, summary.status)}`]),
      `spent ${usd(summary.costUsd)} of ${usd(summary.budgetUsd)} · started ${run.createdAt}${summary.durationMs === null ? '' : ` · took ${duration(summary.durationMs)}`}`,
      `${TOKENS_HEADER} ${tokensText(summary.tokens)} · retries ${retriesText(summary.retries)}`,
    ];
    if (run.message !== null) head.push(run.message);
    if (summary.reexecutedSteps.length > 0) {
      head.push(`re-executed after an interruption: ${summary.reexecutedSteps.join(', ')}`);
    }
    if (summary.unfinishedSteps.length > 0 && summary.status !== 'running') {
      head.push(`cut off mid-step (run again on resume): ${summary.unfinishedSteps.join(', ')}`);
    }
    head.push(...cutOffLines(summary));
    head.push(...workspaceWarningLines(summary));
    const stopped = stoppedAttempts(summary.phases);
    if (stopped.length > 0) head.push(`attempts that stopped without answering: ${stopped.join('; ')}`);
    if (worktrees !== undefined) head.push(worktreesLine(worktrees));
    const next = nextStep(summary.status, run.runId);
    if (next !== undefined) head.push(next);
    process.stdout.write(`${head.join('\n')}\n\n${phaseTable(summary)}\n`);
    return 0;
  } finally {
    await journal.close();
  }
}

export async function runsCommand(options: ListOptions): Promise<number> {
  const { workspace, settings } = locateJournal(options);
  const journal = await openJournalFor(workspace, settings, options, 'read');
  try {
    const runs = await journal.listRuns();
    const statuses = new Map(
      await Promise.all(runs.map(async (run) => [run.runId, await liveStatus(journal, run)] as const)),
    );
    const worktrees = await runWorktrees(workspace, journal);
    const worktreesOf = new Map(worktrees.map((entry) => [entry.runId, entry]));
    const workers = await workersOnSharedJournal(settings, options);
    if (options.json === true) {
      for (const run of runs) {
        const { workflow: _workflow, ...rest } = run;
        const held = worktreesOf.get(run.runId);
        const line = {
          ...rest,
          title: taskTitle(run.task),
          status: statuses.get(run.runId),
          ...(workers.has(run.runId) ? workerJson(workers.get(run.runId)!) : {}),
          ...(held === undefined ? {} : { worktrees: worktreesJson(held) }),
        };
        process.stdout.write(`${jsonWithMoney(line)}\n`);
      }
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write('no runs yet\n');
      return 0;
    }
    const rows = runs.map((run) => [
      run.runId,
      statuses.get(run.runId) ?? run.status,
      run.createdAt.replace('T', ' ').slice(0, 19),
      usd(run.costUsd),
      ...(workers.size === 0 ? [] : [workerCell(workers.get(run.runId), statuses.get(run.runId))]),
      ...(worktrees.length === 0 ? [] : [diskCell(worktreesOf.get(run.runId))]),
      truncate(taskTitle(run.task), 50),
    ]);
    const header = [
      'run',
      'status',
      'started',
      'cost',
      ...(workers.size === 0 ? [] : ['worker']),
      ...(worktrees.length === 0 ? [] : ['worktrees']),
      'task',
    ];
    process.stdout.write(`${table([header.map((cell) => pc.dim(cell)), ...rows])}\n`);
    const dead = worktrees.filter((entry) => entry.dead);
    if (dead.length > 0) {
      const held = dead.reduce((sum, entry) => sum + entry.bytes, 0);
      process.stdout.write(
        `\n${dead.length} run(s) that are over still hold worktrees (${bytes(held)}): ${CLEAN_HINT}\n`,
      );
    }
    return 0;
  } finally {
    await journal.close();
  }
}

function worktreesJson(worktrees: RunWorktrees): {
  count: number;
  bytes: number;
  removable: boolean;
  resumable: boolean;
} {
  const { count, bytes, dead, resumable } = worktrees;
  return { count, bytes, removable: dead, resumable };
}

function worktreesLine(worktrees: RunWorktrees): string {
  const held = `worktrees: ${worktrees.count} (${bytes(worktrees.bytes)} on disk)`;
  if (worktrees.dead) return `${held}; the run is over: ${CLEAN_HINT}`;
  return worktrees.resumable
    ? `${held}; kept for a resume (\`phasewise clean --include-resumable\` ends the run and removes them)`
    : `${held}; kept while the run may go on`;
}

function diskCell(worktrees: RunWorktrees | undefined): string {
  return worktrees === undefined ? '' : `${worktrees.count} · ${bytes(worktrees.bytes)}`;
}
