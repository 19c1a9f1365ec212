/**
 * `phasewise eval TASKSET`: every task of a task set under each policy, each run in its own worktree, checked by
 * the task's hidden check; a cost preview first, a line per run while it goes, a comparison and the tables at the
 * end. Run again with the same arguments, an interrupted eval goes on where it stopped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import pc from 'picocolors';
import { z } from 'zod';
import { loadTaskSet, loadWorkflow } from '../../config/index.js';
import type { EvalTask } from '../../config/types.js';
import { UsageError } from '../../errors/index.js';
import {
  comparisonTerminal,
  type EvalEstimate,
  estimateEval,
  type Policy,
  parsePolicyList,
  runEval,
  writeEvalOutputs,
} from '../../evaluation/index.js';
import { checkModels } from '../../orchestrator/check-models.js';
import { unpricedModel } from '../../provider/unpriced-model.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { usd } from '../format.js';
import { withGoverningFilesProtected } from '../governing-files.js';
import { handleInterrupts } from '../interrupt.js';
import { asInvoked } from '../invocation.js';
import { createCliModelResolver } from '../models.js';
import { cliRunParts } from './run.js';

export interface EvalCommandOptions {
  policies?: string;
  repeat?: number;
  output?: string;
  config?: string;
  yes?: boolean;
  maxCost?: number;
}

/** What identifies an eval in its folder: run again with the same, it resumes; with others, it is refused. */
const manifestSchema = z.object({
  version: z.literal(1),
  taskSet: z.string(),
  policies: z.array(z.string()),
  repeat: z.number().int().positive(),
  startedAt: z.string(),
  complete: z.boolean(),
});
type EvalManifest = z.infer<typeof manifestSchema>;

export async function evalCommand(taskSet: string, options: EvalCommandOptions): Promise<number> {
  const cwd = process.cwd();
  const workflow = loadWorkflow({
    cwd,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    checkModel: unpricedModel,
  });
  const tasks = loadTaskSet(taskSet, cwd);
  const policies = parsePolicyList(workflow, options.policies);
  for (const policy of policies) checkModels(policy.workflow, createCliModelResolver(policy.workflow));
  const repeat = options.repeat ?? 1;
  const wanted = {
    version: 1 as const,
    taskSet: resolve(cwd, taskSet),
    policies: policies.map((policy) => policy.name),
    repeat,
  };
  const dir = outputFolder(options.output, wanted, cwd);
  const manifest = readManifest(dir);
  checkSameEval(manifest, wanted, dir);
  await confirmCost(estimateEval(tasks, policies, repeat), options);
  const startedAt = manifest?.startedAt ?? new Date().toISOString();
  writeManifest(dir, { ...wanted, startedAt, complete: false });
  return execute(dir, tasks, policies, { ...wanted, startedAt, complete: false }, cwd);
}

async function execute(
  dir: string,
  tasks: EvalTask[],
  policies: Policy[],
  manifest: EvalManifest,
  cwd: string,
): Promise<number> {
  process.stderr.write(`eval folder: ${dir}\n`);
  const interrupts = handleInterrupts(() =>
    process.stderr.write('\nstopping: cancelling the current run (press Ctrl-C again to exit at once)\n'),
  );
  let runs: Awaited<ReturnType<typeof runEval>>;
  try {
    runs = await runEval({
      dir,
      tasks,
      policies,
      repeat: manifest.repeat,
      services: {
        prepareRun: (runWorkflow) => {
          const workflow = withGoverningFilesProtected(runWorkflow, cwd);
          return { workflow, ...cliRunParts(workflow) };
        },
        abortSignal: interrupts.signal,
      },
      onProgress: (line) => process.stderr.write(`${asInvoked(line)}\n`),
    });
  } finally {
    interrupts.dispose();
  }
  if (runs.interrupted) {
    process.stderr.write(
      `${pc.yellow('eval interrupted')}: ${runs.records.length} runs recorded; run the same command again to go on (recorded runs are not run again)\n`,
    );
    return 130;
  }
  const report = writeEvalOutputs({
    dir,
    taskSet: manifest.taskSet,
    at: manifest.startedAt,
    records: runs.records,
    taskIds: tasks.map((task) => task.id),
    policies: manifest.policies,
    tiers: policies[0]!.workflow.tiers,
    repeat: manifest.repeat,
  });
  writeManifest(dir, { ...manifest, complete: true });
  process.stdout.write(comparisonTerminal(report));
  process.stderr.write(
    `\nwritten to ${dir}: results.json, outcome-table.json, gate-accuracy.json, report.md, report.html\n` +
      `${runs.skipped === 0 ? '' : `${runs.skipped} runs were recorded by an earlier, interrupted eval and not run again\n`}`,
  );
  return 0;
}

async function confirmCost(estimate: EvalEstimate, options: EvalCommandOptions): Promise<void> {
  const limit = options.maxCost ?? estimate.budgetUsd;
  const limitName = options.maxCost === undefined ? 'the run budget × runs' : '--max-cost';
  process.stderr.write(
    `preview: ${estimate.runs} runs, ${usd(estimate.lowUsd)} – ${usd(estimate.highUsd)} (${limitName}: ${usd(limit)}); by policy: ${estimate.perPolicy
      .map((entry) => `${entry.policy} ${usd(entry.lowUsd)} – ${usd(entry.highUsd)}`)
      .join(', ')}\n`,
  );
  if (estimate.highUsd <= limit || options.yes === true) return;
  const question = `the eval may cost up to ${usd(estimate.highUsd)}, above ${limitName} (${usd(limit)})`;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(question, {
      hint: 'pass --yes to run it anyway, or --max-cost with a higher amount',
    });
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question}. Go on? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim()))
      throw new UsageError('eval not started', { hint: 'nothing was spent' });
  } finally {
    prompt.close();
  }
}

/** -o as given; else the latest unfinished eval of the same task set, policies and repeats; else a new folder. */
function outputFolder(
  output: string | undefined,
  wanted: Omit<EvalManifest, 'startedAt' | 'complete'>,
  cwd: string,
): string {
  if (output !== undefined) return resolve(cwd, output);
  const root = join(cwd, '.phasewise', 'eval');
  const earlier = existsSync(root) ? readdirSync(root).sort().reverse() : [];
  for (const name of earlier) {
    const manifest = readManifest(join(root, name));
    if (manifest !== undefined && !manifest.complete && sameEval(manifest, wanted)) return join(root, name);
  }
  ignoreInGit(join(cwd, '.phasewise'));
  // No hyphens: the folder is part of every worktree's path, which prompts and reports show.
  return join(root, new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, ''));
}

function sameEval(manifest: EvalManifest, wanted: Omit<EvalManifest, 'startedAt' | 'complete'>): boolean {
  return (
    manifest.taskSet === wanted.taskSet &&
    manifest.repeat === wanted.repeat &&
    manifest.policies.join(',') === wanted.policies.join(',')
  );
}

function checkSameEval(
  manifest: EvalManifest | undefined,
  wanted: Omit<EvalManifest, 'startedAt' | 'complete'>,
  dir: string,
): void {
  if (manifest === undefined || sameEval(manifest, wanted)) return;
  throw new UsageError(
    `${dir} holds another eval (${manifest.taskSet}, policies ${manifest.policies.join(',')}, --repeat ${manifest.repeat})`,
    {
      hint: 'run it with the same task set, --policies and --repeat to go on, or give another folder with -o',
    },
  );
}

function readManifest(dir: string): EvalManifest | undefined {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function writeManifest(dir: string, manifest: EvalManifest): void {
  writeFileAtomic(join(dir, 'eval.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** `.phasewise/` keeps out of git, as the journal's does; a .gitignore already there stays as it is. */
function ignoreInGit(directory: string): void {
  mkdirSync(directory, { recursive: true });
  try {
    writeFileSync(join(directory, '.gitignore'), '*\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
