/**
 * The headline figures of an outcome table, per model: tasks solved, % solved, total cost, mean cost per task
 * and cost per solved task, as a markdown table (bench/data/README.md quotes it; a test keeps them equal).
 */

export interface SummaryTable {
  models: { id: string; tier_rank: number }[];
  tasks: { id: string; results: Record<string, { resolved: boolean; cost_usd: number }> }[];
}

export interface ModelSummary {
  model: string;
  tierRank: number;
  solved: number;
  tasks: number;
  totalUsd: number;
}

export function summarizeOutcomes(table: SummaryTable): ModelSummary[] {
  return [...table.models]
    .sort((a, b) => a.tier_rank - b.tier_rank)
    .map(({ id, tier_rank }) => {
      const results = table.tasks.map((task) => task.results[id]!);
      return {
        model: id,
        tierRank: tier_rank,
        solved: results.filter((result) => result.resolved).length,
        tasks: results.length,
        totalUsd: results.reduce((sum, result) => sum + result.cost_usd, 0),
      };
    });
}

export const SUMMARY_HEADER = [
  'tier_rank',
  'model',
  'solved',
  '% solved',
  'total cost',
  'mean cost per task',
  'cost per solved task',
] as const;

export function summaryCells(row: ModelSummary): string[] {
  return [
    String(row.tierRank),
    row.model,
    `${row.solved} of ${row.tasks}`,
    `${((100 * row.solved) / row.tasks).toFixed(1)} %`,
    `$${row.totalUsd.toFixed(2)}`,
    `$${(row.totalUsd / row.tasks).toFixed(3)}`,
    row.solved === 0 ? '—' : `$${(row.totalUsd / row.solved).toFixed(3)}`,
  ];
}

export function summaryMarkdown(rows: ModelSummary[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(SUMMARY_HEADER),
    line(SUMMARY_HEADER.map(() => '---')),
    ...rows.map((row) => line(summaryCells(row))),
  ].join('\n');
}
