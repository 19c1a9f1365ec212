/**
 * `phasewise run [TASK]` and `phasewise resume <run>`: execute a workflow with live progress. A run whose preview
 * a fan-out takes over the budget is confirmed before anything is written (`--yes` elsewhere than a terminal);
 * a resume is not asked again.
 */

import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { ResolvedWorkflow } from '../../config/index.js';
import { builtinWorkflow, loadWorkflow } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import type { Journal } from '../../journal/index.js';
import {
  checkModels,
  estimateRun,
  needsConfirmation,
  type RunOutcome,
  runWorkflow,
} from '../../orchestrator/index.js';
import { type RateLimiter, unpricedModel } from '../../provider/index.js';
import { type McpServers, startSandboxProbe } from '../../tools/index.js';
import { confirmCost } from '../confirm-cost.js';
import { duration, usd } from '../format.js';
import { withGoverningFilesProtected } from '../governing-files.js';
import { handleInterrupts } from '../interrupt.js';
import { asInvoked } from '../invocation.js';
import { finishIsolatedRun, startIsolatedRun } from '../isolated-run.js';
import { type JournalOptions, locateJournal, openJournalFor, sharedDatabaseUrl } from '../journal-choice.js';
import { cliMcpServers } from '../mcp-servers.js';
import { createCliModelResolver } from '../models.js';
import { nextStep } from '../next-step.js';
import { queueOnSharedJournal } from '../queued-runs.js';
import { openCliRateLimiter } from '../rate-limits.js';
import { plainRenderer } from '../render/plain-renderer.js';
import { jsonRenderer, type Renderer, renderMode } from '../render/renderer.js';
import { cliRunParts, requireSandbox } from '../run-parts.js';
import { openRunTelemetry, type RunTelemetry } from '../run-telemetry.js';
import { readTaskArgument } from '../workspace.js';

export interface RunCommandOptions extends JournalOptions {
  config?: string;
  /** `--template NAME`: run a workflow template without a file. */
  template?: string;
  workspace?: string;
  budget?: number;
  json?: boolean;
  /** `--reuse <which>`; false for `--no-reuse`. */
  reuse?: 'read-only' | 'all' | 'off' | false;
}

export interface StartCommandOptions extends RunCommandOptions {
  /** Start even when a fan-out takes the preview's upper bound over the budget. */
  yes?: boolean;
  /** Work in a git worktree on the branch `phasewise/<run-id>` (as `isolation: worktree`). */
  worktree?: boolean;
}

export async function runCommand(task: string | undefined, options: StartCommandOptions): Promise<number> {
  // bubblewrap is probed in a child process while the configuration is read and the journal opened.
  void startSandboxProbe();
  const cwd = process.cwd();
  const overrides = commandLineOverrides(options, cwd);
  const loaded = loadWorkflow({
    cwd,
    ...overrides,
    ...definedOnly({ configFile: options.config, template: options.template }),
    checkModel: unpricedModel,
  });
  const workflow = Object.keys(overrides).length === 0 ? loaded : { ...loaded, overrides };
  const taskText = task !== undefined ? readTaskArgument(task, cwd) : workflow.task?.text;
  if (taskText === undefined || taskText.trim() === '') {
    throw new UsageError('no task given', {
      hint: 'pass it as `phasewise run "<task>"` (text or a file), or set `task:` in phasewise.yaml',
    });
  }
  // Every model the run may use is set up (keys, prices) before anything is written, even the journal.
  checkModels(workflow, createCliModelResolver(workflow));
  await confirmFanOutCost(workflow, taskText, options.yes === true);
  const journal = await openJournalFor(workflow.workspace, workflow.journal, options, 'create');
  if (options.worktree !== true && workflow.isolation !== 'worktree')
    return execute(journal, workflow, options, { task: taskText });
  const isolated = await startIsolatedRun(workflow).catch(async (error: unknown) => {
    await journal.close();
    throw error;
  });
  if (options.json !== true) process.stderr.write(asInvoked(isolated.notice));
  return execute(journal, isolated.workflow, options, { task: taskText, runId: isolated.runId });
}

export interface ResumeCommandOptions extends RunCommandOptions {
  force?: boolean;
  breakLock?: boolean;
}

export async function resumeCommand(runId: string, options: ResumeCommandOptions): Promise<number> {
  void startSandboxProbe();
  const cwd = process.cwd();
  const { workspace, settings } = locateJournal(options, cwd);
  const journal = await openJournalFor(workspace, settings, options, 'write');
  const existing = await journal.getRun(runId);
  if (existing === undefined || existing.status === 'succeeded' || existing.status === 'aborted') {
    await journal.close();
    if (existing === undefined) {
      throw new UsageError(`no run ${runId} in ${journal.location}`, {
        hint: 'list runs with `phasewise runs`',
      });
    }
    const what = existing.status === 'aborted' ? 'was aborted at a review' : 'already succeeded';
    process.stderr.write(
      asInvoked(`run ${runId} ${what}; nothing to resume (see it with: phasewise status ${runId})\n`),
    );
    return existing.exitCode ?? 0;
  }
  const queued = await queueOnSharedJournal(settings, options, runId);
  if (queued !== undefined) {
    await journal.close();
    return queued;
  }
  const workflow = workflowToResume(existing.workflow as ResolvedWorkflow, options, cwd);
  const resume = { runId, force: options.force === true, breakLock: options.breakLock === true };
  return execute(journal, workflow, options, { resume });
}

/** The preview of `estimate`, asked about when a fan-out's items take its upper bound over the run budget. */
async function confirmFanOutCost(workflow: ResolvedWorkflow, task: string, yes: boolean): Promise<void> {
  const estimate = estimateRun(workflow, task);
  if (!needsConfirmation(estimate)) return;
  const fanOuts = estimate.phases
    .filter((phase) => phase.upperBoundUsd > phase.highUsd)
    .map(
      (phase) => `${phase.id} ${phase.fanOut?.items} items × up to ${usd(phase.fanOut?.itemHighUsd ?? 0)}`,
    );
  process.stderr.write(
    asInvoked(
      `preview: ${usd(estimate.lowUsd)} – ${usd(estimate.upperBoundUsd)} before the budget caps it (${fanOuts.join(', ')}); see \`phasewise estimate\`\n`,
    ),
  );
  await confirmCost({
    what: 'the run',
    highUsd: estimate.upperBoundUsd,
    limitUsd: estimate.budgetUsd,
    limitName: 'the run budget',
    yes,
    declined: 'run not started',
    otherwise: '--budget with a higher amount (each phase limit still caps what it spends)',
  });
}

/** The workflow a resumed run continues under: its stored command-line values over the configuration as it is now. */
export function workflowToResume(
  stored: ResolvedWorkflow,
  options: RunCommandOptions,
  cwd: string,
): ResolvedWorkflow {
  const configFile = options.config ?? stored.sourceFile ?? undefined;
  // Re-apply the command-line values the run started with; anything else must come from the config as it is now.
  const overrides = { ...stored.overrides, ...commandLineOverrides(options, cwd) };
  // A run started from a template by name continues under that template as it is now.
  const template = options.config === undefined ? stored.template : undefined;
  const loaded =
    template !== undefined
      ? loadWorkflow({ cwd, template, ...overrides, checkModel: unpricedModel })
      : configFile === undefined
        ? builtinWorkflow(overrides.workspace ?? stored.workspace)
        : loadWorkflow({ cwd, configFile, ...overrides, checkModel: unpricedModel });
  const budget = overrides.budgetUsd === undefined ? {} : { budgetUsd: overrides.budgetUsd };
  // An isolated run goes on in its worktree (`overrides.workspace`), still isolated.
  const isolation = overrides.isolation === undefined ? {} : { isolation: overrides.isolation };
  return Object.keys(overrides).length === 0 ? loaded : { ...loaded, ...budget, ...isolation, overrides };
}

async function execute(
  journal: Journal,
  loadedWorkflow: ResolvedWorkflow,
  options: RunCommandOptions,
  what: { task?: string; runId?: string; resume?: { runId: string; force: boolean; breakLock: boolean } },
): Promise<number> {
  // The configuration that governs this run, and what would govern the next one, out of the agents' reach.
  const workflow = withGoverningFilesProtected(loadedWorkflow, process.cwd());
  const mode = renderMode(options);
  const renderer: Renderer =
    mode === 'json'
      ? jsonRenderer()
      : mode === 'tty'
        ? (await import('../render/tty-renderer.js')).ttyRenderer(process.stderr, {
            finalSummary: (runId) => journalSummary(journal, runId),
          })
        : plainRenderer((line) => process.stderr.write(asInvoked(line)));
  const interrupts = handleInterrupts(() => {
    if (mode !== 'json')
      process.stderr.write('\nstopping: cancelling the current step (press Ctrl-C again to exit at once)\n');
  });
  let outcome: RunOutcome;
  let branchLine: string | undefined;
  let rateLimiter: RateLimiter | undefined;
  let mcpServers: McpServers | undefined;
  let telemetry: RunTelemetry | undefined;
  try {
    await startSandboxProbe();
    requireSandbox(workflow);
    const url = sharedDatabaseUrl(workflow.journal, options);
    rateLimiter = await openCliRateLimiter(workflow, url === undefined ? {} : { databaseUrl: url });
    const { runId, ...task } = what;
    const parts = cliRunParts(workflow, rateLimiter);
    mcpServers = cliMcpServers(workflow, parts.redactor);
    telemetry = await openRunTelemetry(workflow, parts.redactor);
    outcome = await runWorkflow({
      workflow,
      journal,
      ...parts,
      ...(mcpServers === undefined ? {} : { roleTools: mcpServers.toolsFor }),
      onEvent: (event) => {
        renderer.onEvent(event);
        telemetry?.onEvent(event);
      },
      abortSignal: interrupts.signal,
      ...(options.reuse === undefined ? {} : { reuse: options.reuse === false ? 'off' : options.reuse }),
      ...task,
      ...(runId === undefined ? {} : { _internal: { generateRunId: () => runId } }),
    });
    branchLine = await finishIsolatedRun(journal, outcome, workflow);
  } finally {
    // Flushed on every way out (an interrupt included), within a short timeout.
    await telemetry?.close();
    await renderer.close();
    interrupts.dispose();
    await rateLimiter?.close();
    await mcpServers?.close();
    await journal.close();
  }
  if (mode !== 'json') process.stderr.write(closingLines(outcome, workflow));
  if (mode !== 'json' && branchLine !== undefined) process.stderr.write(`  ${asInvoked(branchLine)}\n`);
  return outcome.exitCode;
}

/** The run summary folded from the journal, for the live table's last frame (the report layer loaded for it). */
async function journalSummary(journal: Journal, runId: string) {
  const run = await journal.getRun(runId);
  if (run === undefined) return undefined;
  const { summarizeJournal } = await import('../../report/index.js');
  return await summarizeJournal(journal, run);
}

function closingLines(outcome: RunOutcome, workflow: ResolvedWorkflow): string {
  const colour = outcome.status === 'succeeded' ? pc.green : pc.yellow;
  const lines = [
    `${colour(`run ${outcome.runId} ${outcome.status}`)} in ${duration(outcome.durationMs)}, spent ${usd(outcome.costUsd)} of ${usd(workflow.budgetUsd)}`,
  ];
  if (outcome.message !== null) lines.push(`  ${asInvoked(outcome.message)}`);
  lines.push(
    `  artifacts: ${relative(process.cwd(), `${workflow.workspace}/.phasewise/runs/${outcome.runId}`) || '.'}`,
  );
  const next = nextStep(outcome.status, outcome.runId);
  if (next !== undefined) lines.push(`  ${next}`);
  return `${lines.join('\n')}\n`;
}

/** `--workspace` (made absolute, so a resume from another directory means the same place) and `--budget`. */
function commandLineOverrides(
  options: RunCommandOptions,
  cwd: string,
): { workspace?: string; budgetUsd?: number } {
  return definedOnly({
    workspace: options.workspace === undefined ? undefined : resolve(cwd, options.workspace),
    budgetUsd: options.budget,
  });
}

function definedOnly<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as never;
}
