/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, no font or image to fetch — it opens
 * offline and can be attached anywhere. Charts: cost per phase against its limit and against the top-tier
 * re-pricing, gate scores against thresholds, and a timeline of phases and attempts, with a fanned-out phase's
 * work items as parallel lanes under it (each with its cost, gate and merge).
 */
import { duration, share, usd } from '../util/format.js';
import type { PhaseReport, RunReport } from './build-report.js';
import { itemLabel, laneFiguresText } from './fan-out-text.js';
import { escapeHtml } from './html-escape.js';
import { itemOf, itemsTable, lanesOf, markColour } from './html-fan-out.js';
import {
  attemptLabel,
  attemptsText,
  cutOffLines,
  durationText,
  gateText,
  gateVerdict,
  laneAttempts,
  modelsText,
  phaseCostText,
  retriesText,
  reuseLine,
  statusText,
  stoppedAttempts,
  TOKENS_HEADER,
  tokensText,
  workspaceWarningLines,
} from './summary-text.js';
import type { AttemptSummary } from './summary-types.js';

/** The reports' one style sheet (the run report's, the eval report's). */
export const REPORT_STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1d232a;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #dde2e7}th{color:#56606b;font-weight:600}
.ok{color:#1a7f37}.bad{color:#c62828}svg{max-width:100%;height:auto}.note{color:#56606b}`;

export { escapeHtml };

export function reportHtml(report: RunReport): string {
  const saved = report.topTier.savedShare === null ? '' : ` (${share(report.topTier.savedShare)} saved)`;
  const stopped = stoppedAttempts(report.phases);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>phasewise run ${escapeHtml(report.runId)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
${REPORT_STYLE}
</style></head><body>
<h1>phasewise run ${escapeHtml(report.runId)}: <span class="${report.status === 'succeeded' ? 'ok' : 'bad'}">${escapeHtml(report.status)}</span></h1>
<p>${escapeHtml(report.title)}</p>
<p>Spent <strong>${usd(report.costUsd)}</strong> of ${usd(report.budgetUsd)} in ${durationText(report.durationMs)}; tokens ${tokensText(report.tokens)} (${TOKENS_HEADER.replace('tokens ', '')}), ${share(report.cacheReadShare)} of the input read from the prompt cache; retries ${retriesText(report.retries)}. The same recorded usage re-priced on the top tier
(${escapeHtml(report.topTier.model)}) would cost ${usd(report.topTier.costUsd)}${saved}.
<span class="note">A re-pricing of what was recorded, not a measured re-run.</span></p>
${[
  ...(reuseLine(report) === undefined ? [] : [reuseLine(report)!]),
  ...cutOffLines(report),
  ...workspaceWarningLines(report),
]
  .map((line) => `<p class="note">${escapeHtml(line)}</p>\n`)
  .join('')}<h2>Phases</h2>
${phaseTable(report.phases)}
${itemsTable(report.phases)}<h2>Cost per phase</h2>
${costChart(report.phases)}
${stopped.length === 0 ? '' : `<h2>Attempts that stopped without answering</h2>\n<ul>${stopped.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>\n`}<h2>Gate score against threshold, every attempt</h2>
${gateChart(report.phases)}
<h2>Timeline</h2>
${timelineChart(report)}
</body></html>
`;
}

function phaseTable(phases: PhaseReport[]): string {
  const rows = phases.map((phase) => {
    const failing = (phase.gate?.failing ?? []).map((check) => `${check.name}: ${check.message}`).join('; ');
    const cells = [
      phase.id,
      statusText(phase),
      modelsText(phase),
      attemptsText(phase),
      String(phase.escalations),
      tokensText(phase.tokens),
      retriesText(phase.retries),
      phaseCostText(phase),
      gateText(phase.gate),
      durationText(phase.durationMs),
      failing,
    ];
    return `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
  });
  const header = [
    'phase',
    'status',
    'model(s)',
    'attempts',
    'escalations',
    TOKENS_HEADER,
    'retries',
    'cost / limit',
    'gate',
    'time',
    'checks that did not pass',
  ];
  return `<table><thead><tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const BAR_HEIGHT = 18;
// Wide enough for the longest label the gate chart draws (`implementation round 2 a1`) at 12 px.
const LABEL_WIDTH = 175;
const CHART_WIDTH = 560;
/** The gate bars are narrower: each attempt's figures are written beside its bar. */
const GATE_WIDTH = 300;
/** The timeline's room for an item lane's cost, gate and merge beside it. */
const ITEM_FIGURES_WIDTH = 270;

function costChart(phases: PhaseReport[]): string {
  const max = Math.max(
    1e-9,
    ...phases.flatMap((phase) => [phase.costUsd, phase.costLimitUsd, phase.topTierCostUsd]),
  );
  const scale = (value: number) => (value / max) * CHART_WIDTH;
  const rows = phases.map((phase, index) => {
    const y = index * (BAR_HEIGHT * 2 + 10);
    return `<g transform="translate(0,${y})"><text x="0" y="${BAR_HEIGHT - 4}">${escapeHtml(phase.id)}</text>
<rect x="${LABEL_WIDTH}" y="0" width="${scale(phase.costUsd).toFixed(1)}" height="${BAR_HEIGHT}" fill="#2f6fd6"><title>spent ${usd(phase.costUsd)}</title></rect>
<line x1="${(LABEL_WIDTH + scale(phase.costLimitUsd)).toFixed(1)}" x2="${(LABEL_WIDTH + scale(phase.costLimitUsd)).toFixed(1)}" y1="-2" y2="${BAR_HEIGHT + 2}" stroke="#c62828" stroke-width="2"><title>limit ${usd(phase.costLimitUsd)}</title></line>
<rect x="${LABEL_WIDTH}" y="${BAR_HEIGHT + 2}" width="${scale(phase.topTierCostUsd).toFixed(1)}" height="${BAR_HEIGHT / 2}" fill="#b9c3cf"><title>top-tier re-pricing ${usd(phase.topTierCostUsd)}</title></rect>
<text x="${LABEL_WIDTH + CHART_WIDTH + 8}" y="${BAR_HEIGHT - 4}">${usd(phase.costUsd)} / ${usd(phase.costLimitUsd)}</text></g>`;
  });
  const height = phases.length * (BAR_HEIGHT * 2 + 10);
  return svg(height, rows.join('\n'), 'blue: spent · red line: limit · grey: the same usage on the top tier');
}

/** One bar per attempt of every round, with the attempt's tokens, cost and time beside it. */
function gateChart(phases: PhaseReport[]): string {
  const bars = phases.flatMap((phase): Array<{ lane: string; attempt: AttemptSummary | undefined }> => {
    const attempts = laneAttempts(phase);
    return attempts.length === 0 ? [{ lane: phase.id, attempt: undefined }] : attempts;
  });
  const rows = bars.map(({ lane, attempt }, index) => {
    const y = index * (BAR_HEIGHT + 8);
    return `<g transform="translate(0,${y})">${gateBar(lane, attempt)}</g>`;
  });
  return svg(
    bars.length * (BAR_HEIGHT + 8),
    rows.join('\n'),
    "one bar per attempt (a work item's too): gate score (green passed, red failed or vetoed, grey no gate) · line: threshold · then tokens (in/cache r/cache w/out), cost and time",
  );
}

function gateBar(phaseId: string, attempt: AttemptSummary | undefined): string {
  const label =
    attempt === undefined ? phaseId : `${phaseId} ${attemptLabel(attempt).replace('attempt ', 'a')}`;
  const gate = attempt?.gate ?? null;
  const score = gate?.score ?? 0;
  const threshold = gate?.threshold ?? 0;
  const colour = gate === null ? '#b9c3cf' : gate.passed ? '#1a7f37' : '#c62828';
  const figures =
    attempt === undefined
      ? '-'
      : `${gate === null ? '-' : `${gateText(gate)} ${gateVerdict(gate)}`} · ${tokensText(attempt.tokens)} · ${usd(attempt.costUsd)} · ${durationText(attempt.durationMs)}`;
  return `<text x="0" y="${BAR_HEIGHT - 4}">${escapeHtml(label)}</text>
<rect x="${LABEL_WIDTH}" y="0" width="${(score * GATE_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour}"><title>score ${score.toFixed(2)}</title></rect>
<line x1="${(LABEL_WIDTH + threshold * GATE_WIDTH).toFixed(1)}" x2="${(LABEL_WIDTH + threshold * GATE_WIDTH).toFixed(1)}" y1="-2" y2="${BAR_HEIGHT + 2}" stroke="#1d232a" stroke-width="2"><title>threshold ${threshold.toFixed(2)}</title></line>
<text x="${LABEL_WIDTH + GATE_WIDTH + 8}" y="${BAR_HEIGHT - 4}">${escapeHtml(figures)}</text>`;
}

function timelineChart(report: RunReport): string {
  const end = Math.max(1, report.durationMs ?? 0, ...report.timeline.map((entry) => entry.atMs));
  const lanes = lanesOf(report);
  const withItems = lanes.some((lane) => lane.item !== undefined);
  const x = (ms: number) => LABEL_WIDTH + (Math.max(0, ms) / end) * CHART_WIDTH;
  const rows = lanes.map((lane, index) => {
    const entries = report.timeline.filter(
      (entry) => entry.phaseId === lane.phaseId && entry.item === lane.item,
    );
    const start = entries[0]?.atMs ?? 0;
    const stop = entries.at(-1)?.atMs ?? start;
    const marks = entries
      .filter((entry) => /^(merge turn )?attempt|^gate|^merge \d/.test(entry.what))
      .map(
        (entry) =>
          `<circle cx="${x(entry.atMs).toFixed(1)}" cy="${BAR_HEIGHT / 2}" r="4" fill="${markColour(entry.what)}"><title>${escapeHtml(entry.what)}</title></circle>`,
      );
    const item = lane.item === undefined ? undefined : itemOf(report, lane.phaseId, lane.item);
    const label = item === undefined ? lane.phaseId : itemLabel(item);
    const figures =
      item === undefined
        ? ''
        : `<text x="${LABEL_WIDTH + CHART_WIDTH + 8}" y="${BAR_HEIGHT - 4}">${escapeHtml(laneFiguresText(item))}</text>`;
    const kind = item === undefined ? 'lane phase' : 'lane item';
    const data = item === undefined ? '' : ` data-item="${escapeHtml(item.id)}"`;
    return `<g class="${kind}"${data} transform="translate(0,${index * (BAR_HEIGHT + 8)})"><text x="0" y="${BAR_HEIGHT - 4}">${escapeHtml(label)}</text>
<rect x="${x(start).toFixed(1)}" y="2" width="${Math.max(2, x(stop) - x(start)).toFixed(1)}" height="${BAR_HEIGHT - 4}" fill="${item === undefined ? '#dbe6f7' : '#e6ecd9'}"/>${marks.join('')}${figures}</g>`;
  });
  return svg(
    Math.max(1, lanes.length) * (BAR_HEIGHT + 8),
    rows.join('\n'),
    `0 to ${duration(end)} · dots: attempts${withItems ? ", gates and merges · a fanned-out phase's work items run in parallel lanes under it, each with its cost, gate and merge" : ' and gates'}`,
    withItems ? ITEM_FIGURES_WIDTH : 0,
  );
}

/** `extraWidth`: room for longer figures beside the bars (a timeline's item lanes). */
function svg(height: number, body: string, caption: string, extraWidth = 0): string {
  const width = LABEL_WIDTH + CHART_WIDTH + 150 + extraWidth;
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 -4 ${width} ${height + 8}" width="${width}" height="${height + 8}" font-size="12" role="img">${body}</svg><figcaption class="note">${escapeHtml(caption)}</figcaption></figure>`;
}
