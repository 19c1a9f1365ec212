/**
 * `phasewise eval TASKSET`: every task of a task set under each policy, each run in its own worktree, checked by
 * the task's hidden check; a cost preview first, a line per run while it goes, a comparison and the tables at the
 * end. Run again with the same arguments, an interrupted eval goes on where it stopped.
 */
import { resolve, sep } from 'node:path';
import pc from 'picocolors';
import type { EvalTask } from '../../config/index.js';
import { loadTaskSet, loadWorkflow } from '../../config/index.js';
import {
  comparisonTerminal,
  type EvalEstimate,
  estimateEval,
  type Policy,
  parsePolicyList,
  runEval,
  writeEvalOutputs,
} from '../../evaluation/index.js';
import { checkModels } from '../../orchestrator/index.js';
import { unpricedModel } from '../../provider/index.js';
import { confirmCost } from '../confirm-cost.js';
import {
  checkSameEval,
  type EvalManifest,
  outputFolder,
  readManifest,
  writeManifest,
} from '../eval-folder.js';
import { usd } from '../format.js';
import { handleInterrupts } from '../interrupt.js';
import { asInvoked } from '../invocation.js';
import { createCliModelResolver } from '../models.js';
import { cliEvalServices, requireSandbox } from '../run-parts.js';

export interface EvalCommandOptions {
  policies?: string;
  repeat?: number;
  output?: string;
  config?: string;
  yes?: boolean;
  maxCost?: number;
}

export async function evalCommand(taskSet: string, options: EvalCommandOptions): Promise<number> {
  const cwd = process.cwd();
  const workflow = loadWorkflow({
    cwd,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    checkModel: unpricedModel,
  });
  const tasks = loadTaskSet(taskSet, cwd);
  warnOfVisibleChecks(tasks);
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
  requireSandbox(workflow);
  await confirmEvalCost(estimateEval(tasks, policies, repeat), options);
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
      services: cliEvalServices(cwd, interrupts.signal),
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

async function confirmEvalCost(estimate: EvalEstimate, options: EvalCommandOptions): Promise<void> {
  const limit = options.maxCost ?? estimate.budgetUsd;
  const limitName = options.maxCost === undefined ? 'the run budget × runs' : '--max-cost';
  process.stderr.write(
    `preview: ${estimate.runs} runs, ${usd(estimate.lowUsd)} – ${usd(estimate.highUsd)} (${limitName}: ${usd(limit)}); by policy: ${estimate.perPolicy
      .map((entry) => `${entry.policy} ${usd(entry.lowUsd)} – ${usd(entry.highUsd)}`)
      .join(', ')}\n`,
  );
  await confirmCost({
    what: 'the eval',
    highUsd: estimate.highUsd,
    limitUsd: limit,
    limitName,
    yes: options.yes === true,
    declined: 'eval not started',
  });
}

/** A task file inside its own repository may be committed there, where the agents could read its hidden check. */
function warnOfVisibleChecks(tasks: readonly EvalTask[]): void {
  const inside = tasks.filter((task) => !task.remote && task.file.startsWith(`${task.repository}${sep}`));
  if (inside.length === 0) return;
  process.stderr.write(
    `${pc.yellow('warning')}: ${inside.map((task) => task.id).join(', ')}: the task file is inside its repository; if it is committed at the task's commit, the agents can read its hidden check (keep task sets outside, see docs/eval.md)\n`,
  );
}
