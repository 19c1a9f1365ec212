/**
 * Prints the headline figures of an outcome table as a markdown table.
 *
 *   npx tsx bench/data/summarize-outcomes.ts bench/data/openhands-swe-bench-verified.json
 */
import { readFileSync } from 'node:fs';
import { type SummaryTable, summarizeOutcomes, summaryMarkdown } from './outcome-summary.js';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write(
    'usage: summarize-outcomes.ts FILE (an outcome table, e.g. bench/data/openhands-*.json)\n',
  );
  process.exitCode = 2;
} else {
  const table = JSON.parse(readFileSync(file, 'utf8')) as SummaryTable;
  process.stdout.write(`${summaryMarkdown(summarizeOutcomes(table))}\n`);
}
