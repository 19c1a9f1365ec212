/**
 * Builds an outcome table for `phasewise policy simulate` from the per-task results behind the OpenHands Index
 * (github.com/OpenHands/openhands-index-results): several models run by one harness version on one benchmark.
 *
 *   npx tsx bench/data/build-openhands-outcomes.ts --from <clone of the results repository> [--commit C]
 *     [--benchmark swe-bench] (--models a,b,c | --agent-version v1.8.3) -o FILE
 *
 * --from is a bare git directory or a checkout; files are read from the commit (default HEAD), never from a
 * work tree. With --agent-version alone, every model whose run of the benchmark used that harness version is
 * taken. The output is deterministic: the same commit and options write the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { costBasis, describeCostBasis, EXTRACTION_SCRIPT } from './cost-basis.js';
import { openGitTree } from './git-tree.js';
import { type ModelRun, modelsWithInstances, readModelRun } from './openhands-runs.js';
import {
  buildOutcomeTable,
  type DroppedTask,
  type OutcomeTable,
  serializeOutcomeTable,
} from './outcome-table.js';
import { RecipeError } from './recipe-error.js';

export const REPOSITORY = 'https://github.com/OpenHands/openhands-index-results';

const USAGE =
  'usage: build-openhands-outcomes.ts --from DIR [--commit C] [--benchmark NAME] ' +
  '(--models a,b,c | --agent-version V) -o FILE';

interface Options {
  from: string;
  commit: string;
  benchmark: string;
  models: string[] | undefined;
  agentVersion: string | undefined;
  output: string;
}

const OPTIONS = {
  from: { type: 'string' },
  commit: { type: 'string', default: 'HEAD' },
  benchmark: { type: 'string', default: 'swe-bench' },
  models: { type: 'string' },
  'agent-version': { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

function parseOptions(argv: string[]): Options {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error) {
    throw new RecipeError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.from === undefined) throw new RecipeError(`--from is required\n${USAGE}`);
  if (values.output === undefined) throw new RecipeError(`-o FILE is required\n${USAGE}`);
  const models = values.models
    ?.split(',')
    .map((model) => model.trim())
    .filter(Boolean);
  if (models === undefined && values['agent-version'] === undefined) {
    throw new RecipeError(
      `name the models (--models a,b,c) or the harness version (--agent-version V)\n${USAGE}`,
    );
  }
  if (models !== undefined && new Set(models).size !== models.length) {
    throw new RecipeError(`--models: a model is named twice (${values.models})`);
  }
  return {
    from: values.from,
    commit: values.commit,
    benchmark: values.benchmark,
    models,
    agentVersion: values['agent-version'],
    output: values.output,
  };
}

function selectRuns(options: Options, read: (model: string) => ModelRun, available: string[]): ModelRun[] {
  const runs = (options.models ?? available).map(read);
  const wanted = options.agentVersion;
  const chosen = options.models === undefined ? runs.filter((run) => run.agentVersion === wanted) : runs;
  const versions = [...new Set(chosen.map((run) => run.agentVersion))];
  if (versions.length > 1 || (wanted !== undefined && versions[0] !== wanted)) {
    const seen = chosen.map((run) => `${run.model} ${run.agentVersion}`).join(', ');
    throw new RecipeError(
      `one harness per table: the models' ${options.benchmark} runs used ${seen}` +
        `${wanted === undefined ? '' : ` (asked for ${wanted})`}; choose models run by one agent_version`,
    );
  }
  if (chosen.length < 2) {
    throw new RecipeError(
      `${options.benchmark}: ${chosen.length} model(s) ${wanted === undefined ? '' : `at ${wanted} `}` +
        'with per-instance results; a table needs at least two',
    );
  }
  return chosen;
}

function sourceLines(options: Options, commit: string, runs: ModelRun[], basis: Map<string, string>) {
  return (dropped: DroppedTask[]): string[] => {
    const total = new Set(runs.flatMap((run) => Object.keys(run.instances))).size;
    const run = runs[0]!;
    return [
      `OpenHands Index per-task results: ${REPOSITORY} at commit ${commit}; licence: MIT, as the repository's README states (it has no LICENSE file)`,
      `harness: ${run.agentName} ${run.agentVersion} on benchmark ${options.benchmark} (the agent_version of each model's ${options.benchmark} entry in results/<model>/scores.json)`,
      `per task: results/<model>/instance_results/${options.benchmark}.json ({ instance id: { resolved, cost } }) for ${runs.map((item) => item.model).join(', ')}`,
      'resolved: true when the benchmark graded the instance resolved; false for unresolved and for the harness error, empty-patch and incomplete outcomes',
      ...runs.map(
        (item) =>
          `cost_usd of ${item.model}: ${basis.get(item.model)} (${EXTRACTION_SCRIPT} at ${item.instancesCommit}, the last commit to change ${item.instancesPath}); rounded to 1e-6`,
      ),
      `tasks: ${total - dropped.length} of ${total}, those every model has with a known outcome and cost; ${dropped.length} dropped (dropped_tasks says which and why)`,
      `tier_rank: 1 is the lowest mean cost_usd over the kept tasks; models[] also carries each model's solved count and the repository's published score and cost_per_instance`,
      `built by bench/data/build-openhands-outcomes.ts --from <clone of the repository> --commit ${commit} --benchmark ${options.benchmark} --models ${runs.map((item) => item.model).join(',')}`,
    ];
  };
}

function buildFromOptions(options: Options): OutcomeTable {
  const tree = openGitTree(options.from, options.commit);
  const available = modelsWithInstances(tree, options.benchmark);
  if (available.length === 0) {
    throw new RecipeError(
      `commit ${tree.commit}: no results/<model>/instance_results/${options.benchmark}.json`,
    );
  }
  const runs = selectRuns(options, (model) => readModelRun(tree, model, options.benchmark), available).sort(
    (a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
  );
  const basis = new Map(runs.map((run) => [run.model, describeCostBasis(costBasis(tree, run))]));
  return buildOutcomeTable(runs, sourceLines(options, tree.commit, runs, basis));
}

function main(): void {
  try {
    const options = parseOptions(process.argv.slice(2));
    const table = buildFromOptions(options);
    mkdirSync(dirname(options.output), { recursive: true });
    writeFileSync(options.output, serializeOutcomeTable(table));
    for (const model of table.models) {
      process.stderr.write(
        `${model.tier_rank}. ${model.id}: ${model.solved} of ${table.tasks.length} solved, mean $${model.mean_cost_usd}\n`,
      );
    }
    process.stderr.write(
      `${table.tasks.length} tasks, ${table.dropped_tasks.length} dropped → ${options.output}\n`,
    );
  } catch (error) {
    if (!(error instanceof RecipeError)) throw error;
    process.stderr.write(`build-openhands-outcomes: ${error.message}\n`);
    process.exitCode = 2;
  }
}

main();
