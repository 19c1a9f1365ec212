/**
 * The HTML report's parts for fanned-out phases: the work items' table, and what the timeline needs to draw each
 * item as its own lane under its phase (which lanes, in what order, and the colour of a lane's marks).
 */
import type { PhaseReport, RunReport } from './build-report.js';
import { itemLabel, mergeText } from './fan-out-text.js';
import { escapeHtml } from './html-escape.js';
import { costText, durationText, gateText, TOKENS_HEADER, tokensText } from './summary-text.js';
import type { ItemSummary } from './summary-types.js';

/** A timeline row: a phase instance, or a work item's lane under it (its merge turn included). */
export interface Lane {
  phaseId: string;
  item?: string;
}

/** Phases in the order they first appear, each followed by its items' lanes in the order they first appear. */
export function lanesOf(report: RunReport): Lane[] {
  const lanes: Lane[] = [];
  for (const entry of report.timeline) {
    if (entry.phaseId === '') continue;
    const { phaseId, item } = entry;
    if (lanes.some((lane) => lane.phaseId === phaseId && lane.item === item)) continue;
    if (!lanes.some((lane) => lane.phaseId === phaseId && lane.item === undefined)) lanes.push({ phaseId });
    if (item === undefined) continue;
    lanes.splice(lanes.findLastIndex((lane) => lane.phaseId === phaseId) + 1, 0, { phaseId, item });
  }
  return lanes;
}

export function markColour(what: string): string {
  if (what.includes('passed') || what.includes('merged') || what.includes('resolved')) return '#1a7f37';
  return what.startsWith('gate') || what.includes('conflict') ? '#c62828' : '#1d232a';
}

export function itemOf(report: RunReport, instanceId: string, id: string): ItemSummary | undefined {
  return report.phases
    .flatMap((phase) => phase.items ?? [])
    .find((item) => item.instanceId === instanceId && item.id === id);
}

/** The work items of fanned-out phases, one row each; empty when no phase fanned out. */
export function itemsTable(phases: PhaseReport[]): string {
  const rows = phases.flatMap((phase) =>
    (phase.items ?? []).map((item) => {
      const cells = [
        phase.id,
        itemLabel(item).replace('↳ ', ''),
        item.status,
        item.model || '-',
        String(item.attempts),
        tokensText(item.tokens),
        costText(item.costUsd, item.costLimitUsd),
        gateText(item.gate),
        mergeText(item),
        durationText(item.durationMs),
      ];
      return `<tr class="item">${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
    }),
  );
  const skipped = phases.flatMap((phase) =>
    phase.fanOut?.skippedReason == null
      ? []
      : [
          `<p class="note">${escapeHtml(`${phase.id} ran as a single agent: ${phase.fanOut.skippedReason}`)}</p>`,
        ],
  );
  if (rows.length === 0 && skipped.length === 0) return '';
  const header = [
    'phase',
    'item',
    'status',
    'model',
    'attempts',
    TOKENS_HEADER,
    'cost / limit',
    'gate',
    'merge',
    'time',
  ];
  const table =
    rows.length === 0
      ? ''
      : `<table><thead><tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>\n`;
  return `<h2>Work items</h2>\n${table}${skipped.join('\n')}\n`;
}
