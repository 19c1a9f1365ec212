/**
 * One model's run of one benchmark in the OpenHands Index results repository: `results/<model>/metadata.json`,
 * the benchmark's entry in `results/<model>/scores.json` (its harness version, published score and cost) and
 * the per-instance sidecar `results/<model>/instance_results/<benchmark>.json` ({ id: { resolved, cost } }).
 */
import { z } from 'zod';
import type { GitTree } from './git-tree.js';
import { RecipeError } from './recipe-error.js';

export const RESULTS_ROOT = 'results';

const instanceSchema = z.looseObject({ resolved: z.boolean().nullable(), cost: z.number().nullable() });
const instancesSchema = z.record(z.string(), instanceSchema);
const scoreEntrySchema = z.looseObject({
  benchmark: z.string(),
  agent_version: z.string().optional(),
  score: z.number().nullable().optional(),
  cost_per_instance: z.number().nullable().optional(),
});
const scoresSchema = z.array(z.unknown());
const metadataSchema = z.looseObject({
  agent_name: z.string().optional(),
  agent_version: z.string().optional(),
  input_price: z.number().nullable().optional(),
  output_price: z.number().nullable().optional(),
});

export type InstanceOutcome = z.infer<typeof instanceSchema>;

export interface ModelRun {
  model: string;
  benchmark: string;
  agentName: string;
  /** The harness version of this benchmark's run (its scores.json entry; metadata.json when absent there). */
  agentVersion: string;
  publishedScore: number | null;
  publishedCostPerInstance: number | null;
  inputPricePerMillion: number | null;
  outputPricePerMillion: number | null;
  instancesPath: string;
  /** The last commit that changed the per-instance file: the version of the extraction that wrote it. */
  instancesCommit: string;
  instances: Record<string, InstanceOutcome>;
}

export function instancesPath(model: string, benchmark: string): string {
  return `${RESULTS_ROOT}/${model}/instance_results/${benchmark}.json`;
}

/** The models under results/ that have per-instance results for the benchmark. */
export function modelsWithInstances(tree: GitTree, benchmark: string): string[] {
  return tree.list(RESULTS_ROOT).filter((model) => tree.has(instancesPath(model, benchmark)));
}

export function readModelRun(tree: GitTree, model: string, benchmark: string): ModelRun {
  const path = instancesPath(model, benchmark);
  if (!tree.has(path)) {
    const known = modelsWithInstances(tree, benchmark).join(', ');
    throw new RecipeError(`model ${model}: no ${path} in commit ${tree.commit}; models with it: ${known}`);
  }
  const metadataPath = `${RESULTS_ROOT}/${model}/metadata.json`;
  const scoresPath = `${RESULTS_ROOT}/${model}/scores.json`;
  const metadata = parseJson(tree, metadataPath, metadataSchema);
  const scores = parseJson(tree, scoresPath, scoresSchema);
  const entry = scores
    .map((item) => scoreEntrySchema.safeParse(item))
    .flatMap((result) => (result.success ? [result.data] : []))
    .find((item) => item.benchmark === benchmark);
  const agentVersion = entry?.agent_version ?? metadata.agent_version;
  if (agentVersion === undefined) {
    throw new RecipeError(
      `${scoresPath}: no agent_version for benchmark ${benchmark} (nor in ${metadataPath}); ` +
        'the harness version is needed to keep one harness per table',
    );
  }
  const instances = parseJson(tree, path, instancesSchema);
  for (const [id, outcome] of Object.entries(instances)) {
    if (outcome.cost !== null && !(outcome.cost >= 0 && Number.isFinite(outcome.cost))) {
      throw new RecipeError(`${path}: ${id}.cost: expected a cost >= 0 in USD or null, got ${outcome.cost}`);
    }
  }
  return {
    model,
    benchmark,
    agentName: metadata.agent_name ?? 'OpenHands',
    agentVersion,
    publishedScore: entry?.score ?? null,
    publishedCostPerInstance: entry?.cost_per_instance ?? null,
    inputPricePerMillion: metadata.input_price ?? null,
    outputPricePerMillion: metadata.output_price ?? null,
    instancesPath: path,
    instancesCommit: tree.lastChange(path),
    instances,
  };
}

function parseJson<T>(tree: GitTree, path: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(tree.read(path));
  } catch (error) {
    if (error instanceof RecipeError) throw error;
    throw new RecipeError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new RecipeError(
      `${path}: ${where}: ${issue.message}; the file does not have the layout this recipe reads`,
    );
  }
  return result.data;
}
