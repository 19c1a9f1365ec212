/** A comparison as the terminal shows it and as compare.md holds it: the same rows, two renderings. */
import { duration, share, table, taskTitle, truncate, usd } from '../util/format.js';
import type { ComparedPhase, ComparedRun } from './compare-measure.js';
import type { Comparison } from './compare-report.js';

const RUN_HEADER = ['', 'run', 'status', 'verdict', 'check', 'cost', 'time'];
const PHASE_HEADER = [
  'phase',
  'original: model(s)',
  'att',
  'esc',
  'cost',
  're-run: model(s)',
  'att',
  'esc',
  'cost',
];
const MISROUTE_HEADER = ['phase', 'auto chose', 'score', 'misroute', 'why'];

function runRow(label: string, run: ComparedRun): string[] {
  return [
    label,
    run.runId,
    run.status,
    run.verdict ?? '-',
    run.check === null
      ? '-'
      : run.check.solved
        ? 'passed'
        : `failed (${run.check.exitCode ?? run.check.ending})`,
    usd(run.costUsd),
    run.durationMs === null ? '-' : duration(run.durationMs),
  ];
}

function phaseRows(comparison: Comparison): string[][] {
  const ids = [
    ...new Set([...comparison.original.phases, ...comparison.rerun.phases].map((phase) => phase.id)),
  ];
  const cells = (phase: ComparedPhase | undefined) =>
    phase === undefined
      ? ['-', '-', '-', '-']
      : [
          phase.models.length === 0 ? '-' : phase.models.join(' → '),
          String(phase.attempts),
          String(phase.escalations),
          usd(phase.costUsd),
        ];
  return ids.map((id) => [
    id,
    ...cells(comparison.original.phases.find((phase) => phase.id === id)),
    ...cells(comparison.rerun.phases.find((phase) => phase.id === id)),
  ]);
}

/** "the original saved $0.12 (40 % of all-top's cost) and took 1m longer". */
export function differenceText(comparison: Comparison): string {
  const { savedUsd, savedShare, durationMs } = comparison.difference;
  const money =
    savedUsd >= 0
      ? `the original saved ${usd(savedUsd)} (${share(savedShare)} of ${comparison.policy}'s cost)`
      : `the original cost ${usd(-savedUsd)} more (${share(savedShare === null ? null : -savedShare)} of ${comparison.policy}'s cost)`;
  const time =
    durationMs === null
      ? ''
      : durationMs >= 0
        ? ` and took ${duration(durationMs)} less`
        : ` and took ${duration(-durationMs)} longer`;
  return `${money}${time}`;
}

function misroutesText(comparison: Comparison): string {
  const { misroutes } = comparison;
  if (misroutes.autoPhases === 0)
    return 'misroutes of model: auto: none (no phase of the original chose its tier with auto)';
  return `misroutes of model: auto in the original: ${misroutes.under} under, ${misroutes.over} over, ${misroutes.right} right, ${misroutes.unknown} unknown (of ${misroutes.autoPhases} auto choices)`;
}

function misrouteRows(comparison: Comparison): string[][] {
  return comparison.misroutes.phases.map((phase) => [
    phase.phaseId,
    phase.chosenTier,
    phase.score.toFixed(2),
    phase.verdict,
    phase.reason,
  ]);
}

function headLines(comparison: Comparison): string[] {
  return [
    `task: ${truncate(taskTitle(comparison.task), 100)}`,
    `re-run under ${comparison.policy} from commit ${comparison.commit.slice(0, 12)}${comparison.uncommitted ? ' (the workspace had uncommitted changes; the re-run started without them)' : ''}, in ${comparison.rerun.workspace}`,
  ];
}

export function comparisonTerminalText(comparison: Comparison): string {
  const blocks = [
    headLines(comparison).join('\n'),
    table([RUN_HEADER, runRow('original', comparison.original), runRow(comparison.policy, comparison.rerun)]),
    `${differenceText(comparison)} (measured by a re-run, not a re-pricing)`,
    table([PHASE_HEADER, ...phaseRows(comparison)]),
    misroutesText(comparison),
  ];
  if (comparison.misroutes.phases.length > 0)
    blocks.push(table([MISROUTE_HEADER, ...misrouteRows(comparison)]));
  return `${blocks.join('\n\n')}\n`;
}

function markdownTable(rows: string[][]): string {
  const [header, ...body] = rows;
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header!), line(header!.map(() => '---')), ...body.map(line)].join('\n');
}

export function comparisonMarkdown(comparison: Comparison): string {
  const blocks = [
    `# Comparison: ${comparison.original.runId} against ${comparison.policy}`,
    headLines(comparison).join('  \n'),
    markdownTable([
      RUN_HEADER.map((cell, index) => (index === 0 ? 'side' : cell)),
      runRow('original', comparison.original),
      runRow(comparison.policy, comparison.rerun),
    ]),
    `${differenceText(comparison)} (measured by a re-run, not a re-pricing).`,
    '## Phases',
    markdownTable([PHASE_HEADER, ...phaseRows(comparison)]),
    '## Misroutes of `model: auto`',
    `${misroutesText(comparison)}.`,
  ];
  if (comparison.misroutes.phases.length > 0)
    blocks.push(markdownTable([MISROUTE_HEADER, ...misrouteRows(comparison)]));
  return `${blocks.join('\n\n')}\n`;
}
