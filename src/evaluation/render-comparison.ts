/** The comparison and the gate accuracy as a terminal table, Markdown and a self-contained HTML page. */
import { escapeHtml, REPORT_STYLE } from '../report/render-html.js';
import { duration, share, table, usd } from '../util/format.js';
import type { PolicyComparison } from './comparison.js';
import type { GateAccuracy, GateAccuracyFile } from './gate-accuracy.js';
import type { Interval, MeanEstimate } from './statistics.js';

export interface EvalReportInput {
  title: string;
  notes: string[];
  comparison: PolicyComparison[];
  accuracy: GateAccuracyFile;
}

const POLICY_HEADER = [
  'policy',
  'runs',
  'solved',
  '95 % interval',
  'mean cost',
  '95 % interval',
  'mean time',
  '95 % interval',
  'cost per solved',
];
const ACCURACY_HEADER = ['gate of', 'false passes', 'false-pass rate', 'false fails', 'false-fail rate'];

function policyRows(comparison: readonly PolicyComparison[]): string[][] {
  return comparison.map((row) => [
    row.policy,
    String(row.runs),
    `${row.solved} (${share(row.solvedRate)})`,
    rateInterval(row.solvedInterval),
    row.costUsd === null ? '-' : usd(row.costUsd.mean),
    meanText(row.costUsd, usd),
    row.durationMs === null ? '-' : duration(row.durationMs.mean),
    meanText(row.durationMs, duration),
    row.costPerSolvedUsd === null ? '-' : usd(row.costPerSolvedUsd),
  ]);
}

function accuracyRows(accuracy: GateAccuracyFile): string[][] {
  const row = (label: string, entry: GateAccuracy) => [
    label,
    `${entry.false_passes} of ${entry.hidden_failed}`,
    share(entry.false_pass_rate),
    `${entry.false_fails} of ${entry.hidden_passed}`,
    share(entry.false_fail_rate),
  ];
  return [
    row('every phase', accuracy.overall),
    ...Object.entries(accuracy.roles).map(([role, entry]) => row(`role ${role}`, entry)),
    ...Object.entries(accuracy.check_kinds).map(([kind, entry]) => row(`check ${kind}`, entry)),
  ];
}

function rateInterval(interval: Interval | null): string {
  return interval === null ? '-' : `${share(interval.low)} – ${share(interval.high)}`;
}

function meanText(estimate: MeanEstimate | null, format: (value: number) => string): string {
  if (estimate === null || estimate.interval === null) return '-';
  return `${format(Math.max(0, estimate.interval.low))} – ${format(estimate.interval.high)}`;
}

export function comparisonTerminal(input: EvalReportInput): string {
  return `${table([POLICY_HEADER, ...policyRows(input.comparison)])}\n\ngate accuracy (final gate of each phase against the hidden check):\n${table([ACCURACY_HEADER, ...accuracyRows(input.accuracy)])}\n`;
}

function markdownTable(rows: string[][]): string {
  const [header, ...body] = rows;
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header!), line(header!.map(() => '---')), ...body.map(line)].join('\n');
}

export function comparisonMarkdown(input: EvalReportInput): string {
  return `# ${input.title}

${input.notes.map((note) => `- ${note}`).join('\n')}

## Policies

${markdownTable([POLICY_HEADER, ...policyRows(input.comparison)])}

## Gate accuracy

Each phase's final gate verdict beside the run's hidden check: a false pass is a gate that passed work whose
run failed the hidden check; a false fail, one that failed work whose run passed it.

${markdownTable([ACCURACY_HEADER, ...accuracyRows(input.accuracy)])}
`;
}

function htmlTable(rows: string[][]): string {
  const [header, ...body] = rows;
  const cells = (row: string[], tag: string) =>
    row.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('');
  return `<table><tr>${cells(header!, 'th')}</tr>${body.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('')}</table>`;
}

export function comparisonHtml(input: EvalReportInput): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
${REPORT_STYLE}
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
${input.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n')}
<h2>Policies</h2>
${htmlTable([POLICY_HEADER, ...policyRows(input.comparison)])}
<h2>Gate accuracy</h2>
<p class="note">Each phase's final gate verdict beside the run's hidden check.</p>
${htmlTable([ACCURACY_HEADER, ...accuracyRows(input.accuracy)])}
</body></html>
`;
}
