/**
 * What a finished eval writes into its folder: results.json (every run), outcome-table.json (for `policy
 * simulate --outcomes`), gate-accuracy.json (for `policy simulate --gate-from`), report.md and report.html.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { jsonWithMoney } from '../util/format.js';
import { comparePolicies } from './comparison.js';
import { gateAccuracy } from './gate-accuracy.js';
import { outcomeTable } from './outcome-table.js';
import { comparisonHtml, comparisonMarkdown, type EvalReportInput } from './render-comparison.js';
import type { RunRecord } from './run-record.js';

export interface EvalOutputsInput {
  dir: string;
  taskSet: string;
  at: string;
  records: readonly RunRecord[];
  taskIds: readonly string[];
  policies: readonly string[];
  tiers: readonly string[];
  repeat: number;
}

export function writeEvalOutputs(input: EvalOutputsInput): EvalReportInput {
  const { dir, records } = input;
  const source = [
    `phasewise eval ${input.taskSet} at ${input.at}`,
    `${input.taskIds.length} tasks × ${input.policies.length} policies (${input.policies.join(', ')}) × ${input.repeat} repeats; solved = the task's hidden check exited 0 in the run's worktree after the run`,
  ];
  const table = outcomeTable(records, input.tiers, input.taskIds, [
    ...source,
    'models: the all-<tier> runs (every phase on that tier, escalation replaced by retries); resolved: by majority of repeats, a tie counting as not resolved; cost_usd: mean of the repeats',
  ]);
  const accuracy = gateAccuracy(records, source);
  const comparison = comparePolicies(records, input.policies);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  writeFileAtomic(join(dir, 'results.json'), `${jsonWithMoney({ version: 1, source, runs: records }, 2)}\n`);
  writeFileAtomic(join(dir, 'outcome-table.json'), json(table));
  writeFileAtomic(join(dir, 'gate-accuracy.json'), json(accuracy));
  const report: EvalReportInput = {
    title: `phasewise eval of ${input.taskSet}`,
    notes: [
      ...source,
      'intervals are 95 %: Wilson for the solved rate, Student t for the means of cost and time (none for a single run)',
    ],
    comparison,
    accuracy,
  };
  writeFileAtomic(join(dir, 'report.md'), comparisonMarkdown(report));
  writeFileAtomic(join(dir, 'report.html'), comparisonHtml(report));
  return report;
}
