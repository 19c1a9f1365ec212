/**
 * `phasewise compare <run> --policy all-top`: a finished run's task run again under another policy, in a git
 * worktree of the workspace's repository, and the two measured side by side — status, verification's go / no-go,
 * `--check`, cost, time, per phase models and attempts — with the original's misroutes of `model: auto`. The
 * original run is read from the journal, never changed; the workspace is never touched.
 */
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import type { ResolvedWorkflow } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import {
  buildComparison,
  type ComparedRun,
  type CompareSource,
  compareSource,
  comparisonMarkdown,
  comparisonTerminalText,
  countMisroutes,
  measureRun,
  type Policy,
  resolvePolicy,
  runCompare,
  runHiddenCheck,
  shortHash,
} from '../../evaluation/index.js';
import type { RunStatus } from '../../events/index.js';
import type { StepRecord } from '../../journal/index.js';
import { checkModels, estimateRun } from '../../orchestrator/index.js';
import type { RunSummary } from '../../report/index.js';
import { liveStatus } from '../../report/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { jsonWithMoney } from '../../util/format.js';
import { confirmCost } from '../confirm-cost.js';
import { usd } from '../format.js';
import { handleInterrupts } from '../interrupt.js';
import { asInvoked } from '../invocation.js';
import { createCliModelResolver } from '../models.js';
import { cliEvalServices, requireSandbox } from '../run-parts.js';
import { locateWorkspace, openExistingJournal } from '../workspace.js';

export interface CompareCommandOptions {
  policy?: string;
  output?: string;
  workspace?: string;
  commit?: string;
  check?: string;
  checkOriginal?: boolean;
  yes?: boolean;
  json?: boolean;
  maxCost?: number;
}

/** A run still on its way: it may yet change, so there is nothing to compare. */
const UNFINISHED: ReadonlySet<RunStatus> = new Set(['running', 'interrupted', 'halted']);
const CHECK_TIMEOUT_MS = 10 * 60_000;

interface Original {
  run: ComparedRun;
  summary: RunSummary;
  steps: StepRecord[];
  workflow: ResolvedWorkflow;
  task: string;
}

export async function compareCommand(runId: string, options: CompareCommandOptions): Promise<number> {
  const cwd = process.cwd();
  if (options.checkOriginal === true && options.check === undefined) {
    throw new UsageError(
      '--check-original runs --check in the original workspace, and no --check was given',
      {
        hint: 'add --check "<command>" (exit 0 means the work is right)',
      },
    );
  }
  const workspace = locateWorkspace({ workspace: options.workspace }, cwd);
  const original = await readOriginal(workspace, runId);
  const source = compareSource(workspace, options.commit ?? 'HEAD');
  const policy = resolvePolicy(original.workflow, options.policy ?? 'all-top');
  checkModels(policy.workflow, createCliModelResolver(policy.workflow));
  const dir =
    options.output === undefined
      ? join(workspace, '.phasewise', 'compare', shortHash(`${runId} ${policy.name} ${source.commit}`))
      : resolve(cwd, options.output);
  if (source.uncommitted) {
    process.stderr.write(
      `${pc.yellow('note')}: ${workspace} has uncommitted changes (the original run's among them, likely); the re-run starts from commit ${source.commit.slice(0, 12)} without them\n`,
    );
  }
  requireSandbox(policy.workflow);
  await confirmRerunCost(policy, original.task, options);
  const check = options.check === undefined ? null : { command: options.check, timeoutMs: CHECK_TIMEOUT_MS };
  process.stderr.write(`comparison folder: ${dir}\n`);
  const interrupts = handleInterrupts(() =>
    process.stderr.write('\nstopping: cancelling the re-run (press Ctrl-C again to exit at once)\n'),
  );
  try {
    const rerun = await runCompare({
      dir,
      runId,
      workspace,
      task: original.task,
      source,
      policy,
      check,
      services: cliEvalServices(cwd, interrupts.signal),
      onProgress: (line) => process.stderr.write(`${asInvoked(line)}\n`),
    });
    if (rerun === 'interrupted') {
      process.stderr.write(
        asInvoked(
          `${pc.yellow('comparison interrupted')}: run the same command again to go on (what the re-run recorded is not paid for again)\n`,
        ),
      );
      return 130;
    }
    if (check !== null && options.checkOriginal === true) {
      process.stderr.write(`running --check in ${workspace}\n`);
      original.run.check = await runHiddenCheck(check, workspace, interrupts.signal);
      if (original.run.check.ending === 'aborted') return 130;
    }
    return finish(dir, original, rerun, policy, source, options);
  } finally {
    interrupts.dispose();
  }
}

function finish(
  dir: string,
  original: Original,
  rerun: { run: ComparedRun; summary: RunSummary },
  policy: Policy,
  source: CompareSource,
  options: CompareCommandOptions,
): number {
  const comparison = buildComparison({
    task: original.task,
    policy: policy.name,
    commit: source.commit,
    uncommitted: source.uncommitted,
    folder: dir,
    original: original.run,
    rerun: rerun.run,
    misroutes: countMisroutes(original.steps, original.summary, original.workflow.tiers, rerun.summary),
  });
  writeFileAtomic(join(dir, 'compare.json'), `${jsonWithMoney(comparison, 2)}\n`);
  writeFileAtomic(join(dir, 'compare.md'), comparisonMarkdown(comparison));
  process.stdout.write(
    options.json === true ? `${jsonWithMoney(comparison, 2)}\n` : comparisonTerminalText(comparison),
  );
  process.stderr.write(`written to ${dir}: compare.json, compare.md\n`);
  return 0;
}

/** The original run as its journal holds it; an unknown or unfinished run is refused. */
async function readOriginal(workspace: string, runId: string): Promise<Original> {
  const journal = openExistingJournal(workspace, 'read');
  try {
    const run = await journal.getRun(runId);
    if (run === undefined) {
      throw new UsageError(`no run ${runId} in ${journal.location}`, {
        hint: 'list runs with `phasewise runs`; compare reads the journal of the workspace (--workspace)',
      });
    }
    const status = await liveStatus(journal, run);
    if (UNFINISHED.has(status)) {
      throw new UsageError(`run ${runId} is ${status}, not finished: there is nothing to compare yet`, {
        hint:
          status === 'halted'
            ? `answer it first (phasewise approve, reject or abort ${runId}), then compare`
            : status === 'running'
              ? 'wait for it to end, then compare'
              : `resume it first (phasewise resume ${runId}), then compare`,
      });
    }
    const { run: measured, summary } = await measureRun(journal, run);
    return {
      run: measured,
      summary,
      steps: await journal.listSteps(runId),
      workflow: run.workflow as ResolvedWorkflow,
      task: run.task,
    };
  } finally {
    await journal.close();
  }
}

async function confirmRerunCost(policy: Policy, task: string, options: CompareCommandOptions): Promise<void> {
  const estimate = estimateRun(policy.workflow, task);
  const limit = options.maxCost ?? estimate.budgetUsd;
  const limitName = options.maxCost === undefined ? 'the run budget' : '--max-cost';
  process.stderr.write(
    `preview: the re-run under ${policy.name}, ${usd(estimate.lowUsd)} – ${usd(estimate.highUsd)} (${limitName}: ${usd(limit)})\n`,
  );
  await confirmCost({
    what: 'the re-run',
    highUsd: estimate.highUsd,
    limitUsd: limit,
    limitName,
    yes: options.yes === true,
    declined: 'comparison not started',
  });
}
