/**
 * The outcome tables shipped under bench/data/ are what `policy simulate` reads: every task has a result for
 * every model, costs are non-negative, tier_rank 1..n orders the models by mean cost, and the file says where
 * its numbers come from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { summarizeOutcomes, summaryCells } from '../../bench/data/outcome-summary.js';

const dataDirectory = join(import.meta.dirname, '..', '..', 'bench', 'data');
const SHIPPED = [
  { file: 'openhands-swe-bench-verified.json', models: 3, minimumTasks: 500 },
  { file: 'openhands-swe-bench-verified-v1.8.3-all.json', models: 12, minimumTasks: 480 },
];

const tableSchema = z.object({
  source: z.array(z.string().min(1)).min(1),
  models: z.array(z.looseObject({ id: z.string().min(1), tier_rank: z.number().int() })),
  tasks: z.array(
    z.object({
      id: z.string().min(1),
      results: z.record(z.string(), z.object({ resolved: z.boolean(), cost_usd: z.number() })),
    }),
  ),
});

describe.each(SHIPPED)('shipped outcome table $file', ({ file, models, minimumTasks }) => {
  const table = tableSchema.parse(JSON.parse(readFileSync(join(dataDirectory, file), 'utf8')));
  const ids = table.models.map((model) => model.id);

  it('has distinct models and enough distinct tasks, sorted by id', () => {
    expect(new Set(ids).size).toBe(models);
    expect(table.tasks.length).toBeGreaterThanOrEqual(minimumTasks);
    const taskIds = table.tasks.map((task) => task.id);
    expect(new Set(taskIds).size).toBe(taskIds.length);
    expect(taskIds).toEqual([...taskIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('gives every task a result for every model, and no other, with a cost >= 0', () => {
    for (const task of table.tasks) {
      expect(Object.keys(task.results).sort(), task.id).toEqual([...ids].sort());
      for (const result of Object.values(task.results)) {
        expect(Number.isFinite(result.cost_usd) && result.cost_usd >= 0, task.id).toBe(true);
      }
    }
  });

  it('ranks the models 1..n by mean cost, cheapest first', () => {
    expect(table.models.map((model) => model.tier_rank)).toEqual(ids.map((_, index) => index + 1));
    const means = ids.map(
      (id) => table.tasks.reduce((sum, task) => sum + task.results[id]!.cost_usd, 0) / table.tasks.length,
    );
    for (let index = 1; index < means.length; index++) {
      expect(means[index]!, ids[index]).toBeGreaterThanOrEqual(means[index - 1]!);
    }
  });

  it('names the repository, the commit and the paths its numbers come from', () => {
    const source = table.source.join('\n');
    expect(source).toContain('github.com/OpenHands/openhands-index-results');
    expect(source).toMatch(/commit [0-9a-f]{40}/);
    expect(source).toContain('instance_results/swe-bench.json');
    expect(source).toContain('cost_usd');
    expect(source).toContain('MIT');
  });
});

describe('bench/data/README.md', () => {
  const rows = readFileSync(join(dataDirectory, 'README.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

  it.each(SHIPPED)('quotes the headline figures of $file as the file gives them', ({ file }) => {
    const table = tableSchema.parse(JSON.parse(readFileSync(join(dataDirectory, file), 'utf8')));
    for (const summary of summarizeOutcomes(table)) {
      expect(rows, summary.model).toContainEqual(summaryCells(summary));
    }
  });
});
