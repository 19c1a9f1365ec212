/** A report as Markdown (for pull requests and files) and as JSON; the CLI renders the terminal table. */
import type { PhaseReport, RunReport } from './build-report.js';

const usd = (value: number): string => (value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`);
const seconds = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`);
const share = (value: number | null): string => (value === null ? '-' : `${Math.round(value * 100)} %`);

export function reportJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function reportMarkdown(report: RunReport): string {
  const lines = [
    `# phasewise run ${report.runId}: ${report.status}`,
    '',
    `Task: ${report.task.split('\n')[0]}`,
    '',
    `Spent **${usd(report.costUsd)}** of ${usd(report.budgetUsd)} in ${seconds(report.durationMs)}. The same recorded usage re-priced on the top tier (${report.topTier.model}) would cost ${usd(report.topTier.costUsd)}: ${share(report.topTier.savedShare)} saved. (A re-pricing of what was recorded, not a measured re-run.)`,
    '',
    '| phase | status | model(s) | attempts | escalations | tokens in / cache read / cache write / out | cost / limit | top-tier cost | gate / threshold | time |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...report.phases.map(phaseRow),
    '',
    '## Failing checks',
    '',
    ...failingChecks(report.phases),
    '',
    '## Timeline',
    '',
    ...report.timeline.map(
      (entry) => `- ${seconds(entry.atMs)}${entry.phaseId === '' ? '' : ` ${entry.phaseId}`}: ${entry.what}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function phaseRow(phase: PhaseReport): string {
  const t = phase.tokens;
  const gate =
    phase.gate === null ? '-' : `${phase.gate.score.toFixed(2)} / ${phase.gate.threshold.toFixed(2)}`;
  const rework = phase.reworkRounds > 0 ? ` (+${phase.reworkRounds} rework)` : '';
  return `| ${phase.id} | ${phase.status} | ${phase.models.join(', ') || '-'} | ${phase.attempts}${rework} | ${phase.escalations} | ${t.inputNoCache} / ${t.cacheRead} / ${t.cacheWrite} / ${t.output} | ${usd(phase.costUsd)} / ${usd(phase.costLimitUsd)} | ${usd(phase.topTierCostUsd)} | ${gate} | ${seconds(phase.durationMs)} |`;
}

function failingChecks(phases: PhaseReport[]): string[] {
  const lines = phases.flatMap((phase) =>
    (phase.gate?.failing ?? []).map(
      (check) => `- ${phase.id}: ${check.name} (${check.score.toFixed(2)}) — ${check.message}`,
    ),
  );
  return lines.length === 0 ? ['None: every phase passed its last gate.'] : lines;
}
