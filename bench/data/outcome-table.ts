/**
 * The outcome table `phasewise policy simulate` reads: `{ source[], models[{ id, tier_rank }],
 * tasks[{ id, results: { model: { resolved, cost_usd } } }] }`, with extra fields that readers ignore. Built
 * from per-model runs of one harness: only the tasks every model has with a known outcome and cost are kept;
 * tier_rank 1 is the model with the lowest mean cost over those tasks.
 */
import type { ModelRun } from './openhands-runs.js';

export interface TaskResult {
  resolved: boolean;
  cost_usd: number;
}

export interface OutcomeModel {
  id: string;
  tier_rank: number;
  [extra: string]: unknown;
}

export interface OutcomeTask {
  id: string;
  results: Record<string, TaskResult>;
}

export type DropReason = 'missing' | 'unknown_outcome' | 'unknown_cost';

export interface DroppedTask {
  id: string;
  /** Per model that made the task unusable, why. */
  models: Record<string, DropReason>;
}

export interface OutcomeTable {
  source: string[];
  models: OutcomeModel[];
  tasks: OutcomeTask[];
  dropped_tasks: DroppedTask[];
}

/** Micro-dollars: far below any figure reported from the table, and it keeps the file short and stable. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function dropReason(run: ModelRun, id: string): DropReason | undefined {
  const outcome = run.instances[id];
  if (outcome === undefined) return 'missing';
  if (outcome.resolved === null) return 'unknown_outcome';
  if (outcome.cost === null) return 'unknown_cost';
  return undefined;
}

export function selectTasks(runs: ModelRun[]): { kept: string[]; dropped: DroppedTask[] } {
  const ids = [...new Set(runs.flatMap((run) => Object.keys(run.instances)))].sort(byCodeUnit);
  const byModel = [...runs].sort((a, b) => byCodeUnit(a.model, b.model));
  const kept: string[] = [];
  const dropped: DroppedTask[] = [];
  for (const id of ids) {
    const models: Record<string, DropReason> = {};
    for (const run of byModel) {
      const reason = dropReason(run, id);
      if (reason !== undefined) models[run.model] = reason;
    }
    if (Object.keys(models).length === 0) kept.push(id);
    else dropped.push({ id, models });
  }
  return { kept, dropped };
}

/** Models ordered cheapest first by mean cost over the kept tasks (ties: by id), with their figures. */
export function rankModels(runs: ModelRun[], kept: string[]): { run: ModelRun; model: OutcomeModel }[] {
  const summaries = runs.map((run) => {
    const costs = kept.map((id) => roundUsd(run.instances[id]!.cost!));
    const solved = kept.filter((id) => run.instances[id]!.resolved === true).length;
    const total = costs.reduce((sum, cost) => sum + cost, 0);
    return { run, total, solved };
  });
  summaries.sort((a, b) => a.total - b.total || byCodeUnit(a.run.model, b.run.model));
  return summaries.map(({ run, total, solved }, index) => ({
    run,
    model: {
      id: run.model,
      tier_rank: index + 1,
      mean_cost_usd: roundUsd(kept.length === 0 ? 0 : total / kept.length),
      solved,
      agent: `${run.agentName} ${run.agentVersion}`,
      published_score: run.publishedScore,
      published_cost_per_instance_usd: run.publishedCostPerInstance,
      input_price_per_mtok_usd: run.inputPricePerMillion,
      output_price_per_mtok_usd: run.outputPricePerMillion,
      source_path: run.instancesPath,
      source_path_last_changed_in: run.instancesCommit,
    },
  }));
}

export function buildOutcomeTable(
  runs: ModelRun[],
  source: (dropped: DroppedTask[]) => string[],
): OutcomeTable {
  const { kept, dropped } = selectTasks(runs);
  const ranked = rankModels(runs, kept);
  const tasks = kept.map((id) => {
    const results: Record<string, TaskResult> = {};
    for (const { run } of ranked) {
      const outcome = run.instances[id]!;
      results[run.model] = { resolved: outcome.resolved!, cost_usd: roundUsd(outcome.cost!) };
    }
    return { id, results };
  });
  return { source: source(dropped), models: ranked.map(({ model }) => model), tasks, dropped_tasks: dropped };
}

/** Stable text: fixed key order, one model, task or dropped task per line, a final newline. */
export function serializeOutcomeTable(table: OutcomeTable): string {
  const list = (items: unknown[]) =>
    items.length === 0 ? '[]' : `[\n${items.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]`;
  return (
    '{\n' +
    `  "source": ${list(table.source)},\n` +
    `  "models": ${list(table.models)},\n` +
    `  "tasks": ${list(table.tasks)},\n` +
    `  "dropped_tasks": ${list(table.dropped_tasks)}\n` +
    '}\n'
  );
}
