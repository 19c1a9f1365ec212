/**
 * The dashboard's front page: the runs of the journal, newest first, as `phasewise runs` lists them (the status
 * looked at live), with each run's cost against its budget, start, duration and, on the shared journal, worker.
 */
import type { ResolvedWorkflow } from '../../config/index.js';
import type { Journal, RunRecord } from '../../journal/index.js';
import type { RunWorker } from '../../pool/index.js';
import { costText, durationText, escapeHtml, liveStatus } from '../../report/index.js';
import { taskTitle, truncate } from '../../util/format.js';
import { workerCell } from '../queued-runs.js';
import { page } from './layout.js';

export async function runsPage(
  journal: Journal | undefined,
  workers: Map<string, RunWorker>,
  now: number,
): Promise<string> {
  const runs = journal === undefined ? [] : await journal.listRuns();
  if (runs.length === 0) {
    return page('phasewise runs', '<h1>phasewise runs</h1>\n<p class="note">No runs yet.</p>');
  }
  const rows = await Promise.all(
    runs.map(async (run) => row(run, await liveStatus(journal!, run), workers, now)),
  );
  const workerHeader = workers.size === 0 ? '' : '<th>worker</th>';
  return page(
    'phasewise runs',
    `<h1>phasewise runs</h1>
<p class="note">${escapeHtml(journal!.location)}</p>
<table id="runs"><thead><tr><th>run</th><th>status</th><th>task</th><th>cost / budget</th><th>started</th><th>duration</th>${workerHeader}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`,
  );
}

function row(run: RunRecord, status: string, workers: Map<string, RunWorker>, now: number): string {
  const budget = (run.workflow as Partial<ResolvedWorkflow> | null)?.budgetUsd ?? 0;
  const ended =
    run.endedAt === null ? (status === 'running' ? now : Date.parse(run.updatedAt)) : Date.parse(run.endedAt);
  const id = escapeHtml(run.runId);
  const cells = [
    `<a href="/runs/${encodeURIComponent(run.runId)}">${id}</a>`,
    `<span class="status" data-status="${escapeHtml(status)}">${escapeHtml(status)}</span>`,
    escapeHtml(truncate(taskTitle(run.task), 70)),
    costText(run.costUsd, budget),
    escapeHtml(run.createdAt.replace('T', ' ').slice(0, 19)),
    durationText(ended - Date.parse(run.createdAt)),
    ...(workers.size === 0 ? [] : [escapeHtml(workerCell(workers.get(run.runId), status))]),
  ];
  return `<tr data-run-id="${id}">${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}
