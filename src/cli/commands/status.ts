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
import { duration, jsonWithMoney, table, taskTitle, truncate, usd } from '../../util/format.js';
import { fromRecords } from '../journal-records.js';
import { nextStep } from '../next-step.js';
import { phaseTable } from '../render/phase-table.js';
import { locateWorkspace, openExistingJournal, type WorkspaceOptions } from '../workspace.js';

export interface ListOptions extends WorkspaceOptions {
  json?: boolean;
}

export function statusCommand(runId: string | undefined, options: ListOptions): number {
  const journal = openExistingJournal(locateWorkspace(options), 'read');
  try {
    const run = runId === undefined ? journal.listRuns()[0] : journal.getRun(runId);
    if (run === undefined) {
      throw new UsageError(runId === undefined ? 'no runs yet' : `no run ${runId} in ${journal.location}`, {
        hint: 'list runs with `phasewise runs`',
      });
    }
    // The one run summary every view renders (its status looked at live: a dead holder's run is interrupted).
    const summary = fromRecords(journal, run.runId, () => summarizeJournal(journal, run));
    if (options.json === true) {
      process.stdout.write(`${jsonWithMoney(summary)}\n`);
      return 0;
    }
    const head = [
      `run ${pc.bold(run.runId)}  ${summary.status}${run.exitCode === null ? '' : ` (exit ${run.exitCode})`}`,
      `task: ${truncate(summary.title, 100)}`,
      `workspace: ${run.workspace}`,
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
    const next = nextStep(summary.status, run.runId);
    if (next !== undefined) head.push(next);
    process.stdout.write(`${head.join('\n')}\n\n${phaseTable(summary)}\n`);
    return 0;
  } finally {
    journal.close();
  }
}

export function runsCommand(options: ListOptions): number {
  const journal = openExistingJournal(locateWorkspace(options), 'read');
  try {
    const runs = journal.listRuns();
    if (options.json === true) {
      for (const run of runs) {
        const { workflow: _workflow, ...rest } = run;
        const line = { ...rest, title: taskTitle(run.task), status: liveStatus(journal, run) };
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
      liveStatus(journal, run),
      run.createdAt.replace('T', ' ').slice(0, 19),
      usd(run.costUsd),
      truncate(taskTitle(run.task), 50),
    ]);
    process.stdout.write(
      `${table([['run', 'status', 'started', 'cost', 'task'].map((cell) => pc.dim(cell)), ...rows])}\n`,
    );
    return 0;
  } finally {
    journal.close();
  }
}
