/**
 * One run as the dashboard shows it, in fragments the page renders first and the event feed sends again as the
 * run moves: the header (status, cost against budget, times), the review forms of a halted run, and the phase
 * graph (each phase's status, model, attempts, gate score against threshold, cost against limit, and a fanned-
 * out phase's items). Figures come from the run summary every view renders (summarizeJournal).
 */
import { createHash } from 'node:crypto';
import type { ResolvedWorkflow } from '../../config/index.js';
import type { PendingReview } from '../../orchestrator/index.js';
import {
  attemptsText,
  costText,
  durationText,
  escapeHtml,
  gateText,
  itemLabel,
  modelsText,
  type PhaseSummary,
  type RunSummary,
} from '../../report/index.js';
import { usd } from '../../util/format.js';

export interface RunFragments {
  head: string;
  review: string;
  phases: string;
}

/**
 * A fragment's version: the page carries it, and the script swaps a fragment only when the version sent differs
 * (so a feedback being typed is not wiped by a state that did not change).
 */
export function fragmentVersion(html: string): string {
  return createHash('sha256').update(html).digest('base64url').slice(0, 16);
}

/** The state message of the event feed: each fragment with its version. */
export function stateMessage(status: string, fragments: RunFragments): string {
  const parts = Object.fromEntries(
    Object.entries(fragments).map(([id, html]) => [id, { version: fragmentVersion(html), html }]),
  );
  return JSON.stringify({ status, parts });
}

export function runFragments(
  summary: RunSummary,
  workflow: ResolvedWorkflow,
  pending: PendingReview[],
  csrf: string,
): RunFragments {
  return {
    head: head(summary),
    review: summary.status === 'halted' ? reviewForms(summary.runId, pending, csrf) : '',
    phases: phaseGraph(summary, workflow),
  };
}

function head(summary: RunSummary): string {
  const ok = summary.status === 'succeeded' ? 'ok' : summary.status === 'running' ? '' : 'bad';
  return `<p>status <span class="status ${ok}" id="run-status">${escapeHtml(summary.status)}</span>${summary.exitCode === null ? '' : ` (exit ${summary.exitCode})`}
· spent <strong>${usd(summary.costUsd)}</strong> of ${usd(summary.budgetUsd)}
· started ${escapeHtml(summary.startedAt ?? '-')} · took ${durationText(summary.durationMs)}</p>${summary.message === null ? '' : `\n<p class="note">${escapeHtml(summary.message)}</p>`}`;
}

function reviewForms(runId: string, pending: PendingReview[], csrf: string): string {
  if (pending.length === 0) return '';
  const action = `/runs/${encodeURIComponent(runId)}/review`;
  const forms = pending.map((review) => {
    const hidden = `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="phase" value="${escapeHtml(review.phaseId)}">`;
    const button = (name: string, label: string) =>
      `<form class="review" method="post" action="${action}">${hidden}<input type="hidden" name="action" value="${name}"><button type="submit" id="${name}-${escapeHtml(review.phaseId)}">${label}</button></form>`;
    return `<h3>${escapeHtml(review.phaseId)}, attempt ${review.attempt}</h3>
<p class="note">${escapeHtml(review.reason)}</p>
${button('approve', 'Approve')}
<form class="review" method="post" action="${action}">${hidden}<input type="hidden" name="action" value="reject"><textarea name="feedback" id="feedback-${escapeHtml(review.phaseId)}" required placeholder="What the next attempt must change"></textarea><button type="submit" id="reject-${escapeHtml(review.phaseId)}">Reject with feedback</button></form>
${button('abort', 'Abort the run')}`;
  });
  return `<h2>Halted for review</h2>\n${forms.join('\n')}`;
}

function phaseGraph(summary: RunSummary, workflow: ResolvedWorkflow): string {
  const after = new Map((workflow.phases ?? []).map((phase) => [phase.id, phase.dependsOn]));
  const rows = summary.phases.flatMap((phase) => [
    phaseRow(phase, after.get(phase.id) ?? []),
    ...(phase.items ?? []).map(
      (item) =>
        `<tr class="item" data-item="${escapeHtml(item.id)}"><td>${escapeHtml(itemLabel(item))}</td><td></td><td class="status">${escapeHtml(item.status)}</td><td>${escapeHtml(item.model || '-')}</td><td>${item.attempts}</td><td>${gateText(item.gate)}</td><td>${costText(item.costUsd, item.costLimitUsd)}</td><td>${durationText(item.durationMs)}</td></tr>`,
    ),
  ]);
  return `<table><thead><tr><th>phase</th><th>after</th><th>status</th><th>model(s)</th><th>attempts</th><th>gate / threshold</th><th>cost / limit</th><th>time</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function phaseRow(phase: PhaseSummary, after: string[]): string {
  const cells = [
    escapeHtml(phase.id),
    escapeHtml(after.join(', ') || '-'),
    escapeHtml(phase.status),
    escapeHtml(modelsText(phase)),
    escapeHtml(attemptsText(phase)),
    gateText(phase.gate),
    costText(phase.costUsd, phase.costLimitUsd),
    durationText(phase.durationMs),
  ];
  return `<tr data-phase="${escapeHtml(phase.id)}" data-status="${escapeHtml(phase.status)}">${cells.map((cell, index) => `<td${index === 2 ? ' class="status"' : ''}>${cell}</td>`).join('')}</tr>`;
}
