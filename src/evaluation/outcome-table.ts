/**
 * The outcome table `policy simulate --outcomes` reads, built from an eval's `all-<tier>` runs: one model per
 * tier that ran alone (tier_rank 1 the cheapest, in the configuration's tier order), and per task and model
 * whether it resolved the task — by majority of its repeats, a tie counting as not resolved (a model that
 * solves a task half the time cannot be counted on for it) — and its mean cost. Only tasks every listed model ran
 * are listed, so the table is complete as the reader requires; repeats and the solved count ride along as extra
 * fields, which readers ignore.
 */
import type { RunRecord } from './run-record.js';

export interface OutcomeTable {
  source: string[];
  models: Array<{ id: string; tier_rank: number; tier: string }>;
  tasks: Array<{
    id: string;
    results: Record<string, { resolved: boolean; cost_usd: number; repeats: number; solved_repeats: number }>;
  }>;
}

export function outcomeTable(
  records: readonly RunRecord[],
  tiers: readonly string[],
  taskIds: readonly string[],
  source: string[],
): OutcomeTable {
  const pinned = records.filter((record) => record.tier !== null && record.model !== null);
  const models = tiers
    .map((tier) => ({ tier, id: pinned.find((record) => record.tier === tier)?.model }))
    .filter((entry): entry is { tier: string; id: string } => entry.id !== undefined)
    .map((entry, index) => ({ id: entry.id, tier_rank: index + 1, tier: entry.tier }));
  const tasks: OutcomeTable['tasks'] = [];
  for (const taskId of taskIds) {
    const results: OutcomeTable['tasks'][number]['results'] = {};
    for (const model of models) {
      const runs = pinned.filter((record) => record.task === taskId && record.tier === model.tier);
      if (runs.length === 0) continue;
      const solved = runs.filter((record) => record.solved).length;
      results[model.id] = {
        resolved: solved * 2 > runs.length,
        cost_usd: runs.reduce((sum, record) => sum + record.costUsd, 0) / runs.length,
        repeats: runs.length,
        solved_repeats: solved,
      };
    }
    if (Object.keys(results).length === models.length && models.length > 0)
      tasks.push({ id: taskId, results });
  }
  return { source, models, tasks };
}
