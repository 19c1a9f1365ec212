/** The terminal view of a policy simulation: what was compared on what, the table, and how it was modelled. */
import pc from 'picocolors';
import type { Estimate, PolicySimulation, SimulationResult } from '../../policy/index.js';
import { share } from '../../util/format.js';
import { table, usd } from '../format.js';

export interface SimulationReport extends SimulationResult {
  outcomes: string;
  workflow: string;
  verifier: SimulationResult['verifier'] & { source: string[] };
}

export function renderSimulation(report: SimulationReport): string {
  const { verifier } = report;
  const tiers = report.mapping.tiers
    .map((tier) => `${tier.tier} = ${tier.model} (tier_rank ${tier.tierRank})`)
    .join(', ');
  const how = { map: 'as --map says', name: 'by model name', rank: 'by tier_rank' }[report.mapping.how];
  const gate = verifier.perfect
    ? 'perfect (false-pass 0, false-fail 0): nothing is random'
    : `false-pass ${verifier.falsePassRate}, false-fail ${verifier.falseFailRate}; ${report.trials} trials, seed ${report.seed}`;
  const header = [
    `outcomes: ${report.outcomes} (${report.tasks} tasks) — ${sourceHeadline(report.source)}`,
    `workflow: ${report.workflow}; phase ${report.phase.id} starts on ${report.phase.start}, then ${report.phase.ladder.join(' → ')}`,
    `tiers (${how}): ${tiers}`,
    `verifier: ${gate}`,
    ...verifier.source.map((line) => pc.dim(`  ${line}`)),
  ];
  const rows = report.policies.map((policy) => row(policy));
  const heading = [
    'policy',
    'tries',
    'solved',
    '% solved',
    'cost',
    'per solved',
    'vs all-top',
    'wrong shipped',
  ];
  const intervals = verifier.perfect
    ? '95 % intervals: solved and wrong shipped, Wilson over the tasks (another sample of such tasks); costs are exact.'
    : '95 % intervals: solved and wrong shipped, Wilson over the tasks (another sample of such tasks); costs, the 2.5th–97.5th percentiles of the trials (the verifier’s chance verdicts).';
  return [
    ...header,
    '',
    table([heading.map((cell) => pc.dim(cell)), ...rows]),
    '',
    pc.dim(intervals),
    ...report.notes.map((note) => pc.dim(`· ${note}`)),
    '',
  ].join('\n');
}

function row(policy: PolicySimulation): string[] {
  return [
    policy.label,
    policy.kind === 'bound' ? '(knows the answer)' : policy.attempts.join('→'),
    count(policy.tasksSolved.value),
    `${share(policy.solvedRate.value)} ${range(policy.solvedRate, share)}`,
    money(policy.totalCostUsd),
    money(policy.costPerSolvedUsd),
    policy.costVsAllTop.value === null
      ? '-'
      : `${share(policy.costVsAllTop.value)} ${range(policy.costVsAllTop, share)}`.trim(),
    `${count(policy.wrongShipped.value)} · ${share(policy.wrongShippedRate.value)} ${range(policy.wrongShippedRate, share)}`.trim(),
  ];
}

function money(estimate: Estimate): string {
  if (estimate.value === null) return '-';
  return `${usd(estimate.value)} ${range(estimate, usd)}`.trim();
}

/** `(30 %–95 %)`, or nothing where the figure is not random. */
function range(estimate: Estimate, format: (value: number) => string): string {
  if (estimate.low === null || estimate.high === null) return '';
  const low = format(estimate.low);
  const high = format(estimate.high);
  return low === high ? '' : `(${low}–${high})`;
}

/** A whole count as it is, an expected one to a tenth. */
function count(value: number | null): string {
  if (value === null) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The table's first source line, cut to a readable length; `--json` carries every line in full. */
function sourceHeadline(source: readonly string[]): string {
  const first = source[0] ?? '';
  const cut = first.length > 160 ? `${first.slice(0, 159)}…` : first;
  return source.length > 1 ? `${cut} (+${source.length - 1} more source lines in --json)` : cut;
}
