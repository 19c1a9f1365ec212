/**
 * The outcome table `policy simulate` replays: which models, how each did on each task, at what cost. The format
 * is issue 14's, exactly (snake_case, as `phasewise eval` writes it); extra fields anywhere are ignored. Checked
 * once, here: every problem is reported with its field path, and what comes out is complete (every task has a
 * result for every model).
 */
import { z } from 'zod';
import { DataFileError, type DataFileIssue } from '../errors/index.js';
import { formatFieldPath } from '../util/field-path.js';
import { issuesFromZod, parseJsonDocument } from './data-issues.js';

const modelResultSchema = z.object({
  resolved: z.boolean({ error: 'must be true or false (did the model solve the task?)' }),
  cost_usd: z
    .number({ error: 'must be a number: what the attempt cost, in USD' })
    .min(0, { error: 'must not be negative: a cost in USD' }),
});

const nonEmptyId = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

const outcomeTableSchema = z.object({
  source: z
    .array(z.string({ error: 'must be a string' }), {
      error: 'must be a list of strings saying where the numbers come from',
    })
    .min(1, { error: 'must say where the numbers come from (at least one entry)' }),
  models: z
    .array(
      z.object({
        id: nonEmptyId,
        tier_rank: z
          .number({ error: 'must be a positive whole number (1 is the cheapest tier)' })
          .refine((value) => Number.isSafeInteger(value) && value >= 1, {
            error: 'must be a positive whole number (1 is the cheapest tier)',
          }),
      }),
      { error: 'must be a list of { id, tier_rank }' },
    )
    .min(1, { error: 'must list at least one model' }),
  tasks: z
    .array(
      z.object({
        id: nonEmptyId,
        results: z.record(z.string(), z.unknown(), {
          error: 'must be an object: model id → { resolved, cost_usd }',
        }),
      }),
      { error: 'must be a list of { id, results }' },
    )
    .min(1, { error: 'must list at least one task' }),
});

export interface ModelResult {
  resolved: boolean;
  costUsd: number;
}

export interface OutcomeTable {
  source: string[];
  /** In the file's order. */
  models: Array<{ id: string; tierRank: number }>;
  /** `results` holds exactly the table's models (results for models it does not list are left out). */
  tasks: Array<{ id: string; results: Record<string, ModelResult> }>;
}

const WHAT = 'the outcome table';
const HINT = 'the format is in docs/policy.md (source, models with tier_rank, tasks with results per model)';

/** Reads an outcome table from its text; `file` names it in errors. Throws `DataFileError` (exit 2). */
export function parseOutcomeTable(text: string, file: string): OutcomeTable {
  const document = parseJsonDocument(text, file, WHAT, HINT);
  const parsed = outcomeTableSchema.safeParse(document);
  if (!parsed.success)
    throw new DataFileError(file, WHAT, issuesFromZod(parsed.error, document), { hint: HINT });
  const issues: DataFileIssue[] = [];
  duplicates(
    parsed.data.models.map((model) => model.id),
    'models',
    'model',
    issues,
  );
  duplicates(
    parsed.data.tasks.map((task) => task.id),
    'tasks',
    'task',
    issues,
  );
  const tasks = parsed.data.tasks.map((task, taskIndex) => {
    const results: Record<string, ModelResult> = {};
    for (const model of parsed.data.models) {
      const path = ['tasks', taskIndex, 'results', model.id];
      if (!Object.hasOwn(task.results, model.id)) {
        issues.push({
          path: formatFieldPath(path),
          message: `missing: task ${task.id} has no result for model ${model.id} (every task needs one per model)`,
        });
        continue;
      }
      const result = modelResultSchema.safeParse(task.results[model.id]);
      if (result.success)
        results[model.id] = { resolved: result.data.resolved, costUsd: result.data.cost_usd };
      else issues.push(...issuesFromZod(result.error, task.results[model.id], path));
    }
    return { id: task.id, results };
  });
  if (issues.length > 0) throw new DataFileError(file, WHAT, issues, { hint: HINT });
  return {
    source: parsed.data.source,
    models: parsed.data.models.map((model) => ({ id: model.id, tierRank: model.tier_rank })),
    tasks,
  };
}

function duplicates(ids: string[], list: string, noun: string, issues: DataFileIssue[]): void {
  const first = new Map<string, number>();
  for (const [index, id] of ids.entries()) {
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else
      issues.push({
        path: formatFieldPath([list, index, 'id']),
        message: `duplicate ${noun} id ${JSON.stringify(id)} (also ${list}[${earlier}]); ids must be unique`,
      });
  }
}
