/** A report as Markdown (for pull requests and files) and as JSON; the CLI renders the terminal table. */
import { duration, jsonWithMoney, share, usd } from '../util/format.js';
import type { PhaseReport, RunReport } from './build-report.js';
import { itemLabel, mergeText } from './fan-out-text.js';
import {
  attemptLabel,
  attemptsText,
  costText,
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
  stopText,
  TOKENS_HEADER,
  tokensText,
  workspaceWarningLines,
} from './summary-text.js';

/** USD amounts rounded to `USD_DECIMALS` (the arithmetic inside stays exact). */
export function reportJson(report: RunReport): string {
  return `${jsonWithMoney(report, 2)}\n`;
}

export function reportMarkdown(report: RunReport): string {
  const lines = [
    `# phasewise run ${report.runId}: ${report.status}`,
    '',
    `Task: ${report.title}`,
    '',
    ...(report.branch === undefined ? [] : [`Branch: \`${report.branch}\``, '']),
    `Spent **${usd(report.costUsd)}** of ${usd(report.budgetUsd)} in ${durationText(report.durationMs)}, tokens ${tokensText(report.tokens)} (${TOKENS_HEADER.replace('tokens ', '')}), ${share(report.cacheReadShare)} of the input read from the prompt cache, retries ${retriesText(report.retries)}. The same recorded usage re-priced on the top tier (${report.topTier.model}) would cost ${usd(report.topTier.costUsd)}: ${share(report.topTier.savedShare)} saved. (A re-pricing of what was recorded, not a measured re-run.)`,
    '',
    ...(reuseLine(report) === undefined ? [] : [reuseLine(report)!, '']),
    ...[...cutOffLines(report), ...workspaceWarningLines(report)].flatMap((line) => [
      line.startsWith('  ') ? `- ${line.trim()}` : line,
      '',
    ]),
    `| phase | status | model(s) | attempts | escalations | ${TOKENS_HEADER} | cache read | retries | cost / limit | top-tier cost | gate / threshold | time |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.phases.map(phaseRow),
    '',
    '## Attempts',
    '',
    `| phase | attempt | model | ${TOKENS_HEADER} | cost | retries | stopped | gate / threshold | time |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...report.phases.flatMap(attemptRows),
    '',
    ...itemsSection(report.phases),
    '## Failing checks',
    '',
    ...failingChecks(report.phases),
    '',
    '## Timeline',
    '',
    ...report.timeline.map(
      (entry) =>
        `- ${duration(entry.atMs)}${entry.phaseId === '' ? '' : ` ${entry.phaseId}`}${entry.item === undefined ? '' : ` [${entry.item}]`}: ${entry.what}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function phaseRow(phase: PhaseReport): string {
  return `| ${phase.id} | ${statusText(phase)} | ${modelsText(phase)} | ${attemptsText(phase)} | ${phase.escalations} | ${tokensText(phase.tokens)} | ${share(phase.cacheReadShare)} | ${retriesText(phase.retries)} | ${phaseCostText(phase)} | ${usd(phase.topTierCostUsd)} | ${gateText(phase.gate)} | ${durationText(phase.durationMs)} |`;
}

function attemptRows(phase: PhaseReport): string[] {
  return laneAttempts(phase).map(
    ({ lane, attempt }) =>
      `| ${lane} | ${attemptLabel(attempt)} | ${attempt.model} | ${tokensText(attempt.tokens)} | ${usd(attempt.costUsd)} | ${retriesText(attempt.retries)} | ${stopText(attempt) || '-'} | ${attempt.gate === null ? '-' : `${gateText(attempt.gate)} ${gateVerdict(attempt.gate)}`} | ${durationText(attempt.durationMs)} |`,
  );
}

/** The work items of fanned-out phases, one row each ([] when no phase fanned out). */
function itemsSection(phases: PhaseReport[]): string[] {
  const rows = phases.flatMap((phase) =>
    (phase.items ?? []).map(
      (item) =>
        `| ${phase.id} | ${itemLabel(item).replace('↳ ', '')} | ${item.status} | ${item.model || '-'} | ${item.attempts} | ${tokensText(item.tokens)} | ${costText(item.costUsd, item.costLimitUsd)} | ${gateText(item.gate)} | ${mergeText(item)} | ${durationText(item.durationMs)} |`,
    ),
  );
  const skipped = phases.flatMap((phase) =>
    phase.fanOut?.skippedReason == null
      ? []
      : [`- ${phase.id} ran as a single agent: ${phase.fanOut.skippedReason}`],
  );
  if (rows.length === 0 && skipped.length === 0) return [];
  const table =
    rows.length === 0
      ? []
      : [
          `| phase | item | status | model | attempts | ${TOKENS_HEADER} | cost / limit | gate / threshold | merge | time |`,
          '|---|---|---|---|---|---|---|---|---|---|',
          ...rows,
          '',
        ];
  return ['## Work items', '', ...table, ...(skipped.length === 0 ? [] : [...skipped, ''])];
}

function failingChecks(phases: PhaseReport[]): string[] {
  const lines = phases.flatMap((phase) =>
    (phase.gate?.failing ?? []).map(
      (check) => `- ${phase.id}: ${check.name} (${check.score.toFixed(2)}) — ${check.message}`,
    ),
  );
  return lines.length === 0 ? ['None: every phase passed its last gate.'] : lines;
}
