/**
 * A run, wired: open (or resume) it, check every model it may use, then run its phases in dependency order
 * under one ledger, one deadline and one AbortSignal, and record how it ended. The mechanisms live in the files
 * this one imports.
 */
import { join } from 'node:path';
import { openRunLedger } from '../budget/run-ledger.js';
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import { RunDeadlineError, WorktreeError } from '../errors/index.js';
import type { EventSink, RunStatus } from '../events/index.js';
import { journalSteps } from '../journal/durable-steps.js';
import type { Journal } from '../journal/journal.js';
import { recordedResult } from '../journal/step-schema.js';
import type { PhaseOutcome } from '../phase/phase-outcome.js';
import type { PhaseServices } from '../phase/phase-services.js';
import { recordedGateSchema } from '../phase/step-schemas.js';
import type { ModelResolver } from '../provider/resolver.js';
import type { RoleTools, Tool } from '../tools/tool.js';
import { linkedAbort } from '../util/abort.js';
import { type Clock, systemClock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';
import { type Repository, requireRepository } from '../worktree/index.js';
import { checkModels } from './check-models.js';
import { createEmitter } from './event-emitter.js';
import { fanOutFor } from './fan-out-for.js';
import { phaseInstances } from './phase-instances.js';
import type { ReuseMode } from './phase-reuse.js';
import { phaseRole, type RunInstance, reviewWithRework, reworkPlan } from './rework.js';
import { runVerdict } from './run-status.js';
import { schedulePhases } from './schedule.js';
import {
  restoreSharedWorkspace,
  sharedWorkspaceSteps,
  type WorkspaceCheckpoints,
} from './shared-workspace.js';
import { type OpenedRun, openRun, workflowHash } from './start-run.js';

export interface RunWorkflowOptions {
  workflow: ResolvedWorkflow;
  /** The task for a new run; a resumed run keeps its own. */
  task?: string;
  journal: Journal;
  resolveModel: ModelResolver;
  tools?: readonly Tool[];
  /** The MCP tools each role opts in to (`tools/mcp/`); the caller closes their servers when the run ends. */
  roleTools?: RoleTools;
  onEvent?: EventSink;
  /** Abort with an `InterruptedError` (Ctrl-C) to stop cleanly and leave the run resumable. */
  abortSignal?: AbortSignal;
  /** `force`: accept a changed workflow; `breakLock`: take the run from a holder that cannot be proven gone. */
  resume?: { runId: string; force?: boolean; breakLock?: boolean };
  /**
   * Hides secrets (API keys, tokens, `.env` values) in the task, in every prompt, and in everything journaled or
   * reported. The CLI always passes one; without it nothing is redacted.
   */
  redactor?: Redactor;
  /**
   * The environment of gates' `command` checks. The CLI passes the process's minus every variable that holds an
   * API key, whatever its name; by default, the process's minus secret-looking names.
   */
  commandEnv?: Record<string, string | undefined>;
  /**
   * Share the workspace through checkpoints, for a run that another machine may take over (runs on workers):
   * see `shared-workspace.ts`. Without it, nothing is checkpointed outside fan-out lanes.
   */
  workspaceCheckpoints?: WorkspaceCheckpoints;
  /**
   * Which phases may reuse a result from the journal's phase cache (`phase-reuse.ts`): `read-only` by default,
   * `all` for workspace-changing ones too, `off` for none. A resume replays the decisions it recorded.
   */
  reuse?: ReuseMode;
  _internal?: { clock?: Clock; generateRunId?: (now: number) => string };
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  exitCode: number;
  costUsd: number;
  durationMs: number;
  message: string | null;
  phases: PhaseOutcome[];
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunOutcome> {
  const clock = options._internal?.clock ?? systemClock;
  const started = clock.now();
  checkModels(options.workflow, options.resolveModel);
  const repository = await repositoryFor(options.workflow);
  const { redactor } = options;
  const task =
    options.task === undefined || redactor === undefined ? options.task : redactor.redact(options.task);
  // The workflow is journaled, so it is redacted too (an inline task, a URL with a password); a resume redacts
  // its freshly loaded workflow the same way, so the two still compare equal.
  const redactedWorkflow = redactor === undefined ? options.workflow : redactor.redactDeep(options.workflow);
  const run = await openRun({
    ...options,
    workflow: redactedWorkflow,
    task,
    clock,
    generateRunId: options._internal?.generateRunId,
  });
  // From here the run is locked: whatever fails next (the journal included) must release it.
  try {
    return await runOpened(options, run, clock, started, repository);
  } finally {
    await options.journal.releaseLock(run.runId, run.lockToken);
  }
}

/** The run once opened and locked: ledger, deadline, phases, verdict. The caller releases the lock. */
async function runOpened(
  options: RunWorkflowOptions,
  run: OpenedRun,
  clock: Clock,
  started: number,
  /** The workspace's repository, when a phase fans out. */
  repository: Repository | undefined,
): Promise<RunOutcome> {
  const { journal, redactor } = options;
  const { runId, workflow } = run;
  const abort = linkedAbort(
    options.abortSignal === undefined ? [] : [options.abortSignal],
    workflow.deadlineMs === null
      ? undefined
      : { ms: workflow.deadlineMs, reason: () => new RunDeadlineError(workflow.deadlineMs!, { runId }) },
  );
  // An event the journal cannot store stops the run; the failure is thrown when the run settles its events.
  const onStoreFailure = (error: unknown) => abort.abort(error);
  const events = createEmitter({ runId, journal, clock, sink: options.onEvent, redactor, onStoreFailure });
  const { emit } = events;
  try {
    // Everything already paid for counts from the start, before any phase replays (phases run side by side, and
    // a forced resume may have dropped a phase that spent money). Replayed steps are therefore not charged again.
    // A shared ledger (Postgres) is reset from these records: the journal is the source of truth at open.
    const ledger = await openRunLedger(
      journal,
      runId,
      {
        runUsd: workflow.budgetUsd,
        phaseUsd: Object.fromEntries(workflow.phases.map((phase) => [phase.id, phase.costLimitUsd])),
      },
      await journal.listSteps(runId),
    );
    await journal.updateRun(runId, {
      status: 'running',
      updatedAt: new Date(clock.now()).toISOString(),
      endedAt: null,
      exitCode: null,
      message: null,
      ...(run.resumed ? { workflow, workflowHash: workflowHash(workflow) } : {}),
    });
    emit({
      type: 'run-start',
      resumed: run.resumed,
      workspace: workflow.workspace,
      task: run.task,
      budgetUsd: workflow.budgetUsd,
      phases: workflow.phases.map((phase) => ({
        id: phase.id,
        agent: phase.agent,
        model:
          phase.model.kind === 'tier'
            ? phase.model.tier
            : phase.model.kind === 'model'
              ? phase.model.ref
              : 'auto',
        costLimitUsd: phase.costLimitUsd,
        dependsOn: phase.dependsOn,
      })),
    });
    const checkpoints = options.workspaceCheckpoints;
    // Before any phase replays: the workspace as the run's journaled steps left it, wherever that was.
    if (checkpoints !== undefined) await restoreSharedWorkspace(journal, runId, checkpoints);
    const journaled = journalSteps(journal, runId, clock, redactor?.redactDeep);
    const steps = checkpoints === undefined ? journaled : sharedWorkspaceSteps(journaled, checkpoints);
    const artifactRoot = join(workflow.workspace, '.phasewise', 'runs', runId);
    const scheduling = { concurrency: workflow.concurrency, abortSignal: abort.signal, abort: abort.abort };
    const reviewRounds = workflow.reviewRounds ?? 2;
    const services: PhaseServices = {
      steps,
      ledger,
      resolveModel: options.resolveModel,
      tools: options.tools ?? [],
      ...(options.roleTools === undefined ? {} : { roleTools: options.roleTools }),
      abortSignal: abort.signal,
      emit,
      clock,
      ...(redactor === undefined ? {} : { redactor }),
      ...(options.commandEnv === undefined ? {} : { commandEnv: options.commandEnv }),
      earlierGateFailures: async () =>
        (await journal.listSteps(runId)).filter(
          (step) => step.kind === 'gate' && !recordedResult(journal, step, recordedGateSchema).passed,
        ).length,
    };
    const cache = journal.phaseCache?.();
    const runInstance = phaseInstances({
      runId,
      workflow,
      task: run.task,
      artifactRoot,
      services,
      reviewRounds,
      ...(cache === undefined
        ? {}
        : {
            cache: {
              mode: options.reuse ?? 'read-only',
              store: cache,
              journal,
              runId,
              workflow,
              task: run.task,
              steps,
              emit,
              clock,
              eventsSettled: () => events.settled(),
              signal: abort.signal,
              ...(redactor === undefined ? {} : { redactor }),
            },
          }),
    });
    const upstreamOf = (phase: ResolvedPhase, done: ReadonlyMap<string, PhaseOutcome>) =>
      phase.dependsOn.map((id) => {
        // A phase starts once its dependencies have passed: each of theirs is a passed outcome.
        const dependency = done.get(id);
        const handoff = dependency?.status === 'passed' ? dependency.handoff : null;
        return { phaseId: id, handoff: handoff ?? '', reportPath: dependency?.reportPath ?? '' };
      });
    const finished = await schedulePhases(workflow.phases, scheduling, async (phase, done) => {
      const fanOut = fanOutFor(phase, {
        runId,
        task: run.task,
        done,
        repository,
        emit,
        clock,
        signal: abort.signal,
      });
      const first = await runInstance(phase, upstreamOf(phase, done), fanOut);
      const plan = reworkPlan(workflow, phase);
      if (plan === undefined) return first;
      const implementationUpstream = upstreamOf(plan.implementation, done);
      return reviewWithRework({
        review: phase,
        plan,
        implementationUpstream,
        first,
        run: runInstance satisfies RunInstance,
        rounds: reviewRounds,
        steps,
        emit,
      });
    });
    const phases = workflow.phases.flatMap((phase) => finished.get(phase.id) ?? []);
    const deciding = new Set(
      workflow.phases
        .filter((phase) => phaseRole(workflow, phase) === 'verification')
        .map((phase) => phase.id),
    );
    const found = runVerdict(phases, workflow.phases.length, abort.signal.reason, deciding);
    // The message quotes errors (a git failure naming a file named after a secret): it is stored, emitted and
    // printed in the closing lines, so it is redacted once here, for all three.
    const verdict =
      redactor === undefined || found.message === null
        ? found
        : { ...found, message: redactor.redact(found.message) };
    const durationMs = clock.now() - started;
    const endedAt = new Date(clock.now()).toISOString();
    // Every event of the run is stored before its verdict is.
    await events.settled();
    await journal.updateRun(runId, { ...verdict, updatedAt: endedAt, endedAt });
    const costUsd = ledger.spent();
    emit({ type: 'run-end', ...verdict, costUsd, durationMs });
    await events.settled();
    return { runId, ...verdict, costUsd, durationMs, phases };
  } finally {
    abort.dispose();
    // Whatever ended the run, its events are written before the lock is released (a failed write says so above).
    await events.settled().catch(() => undefined);
  }
}

/**
 * The workspace's repository when a phase may fan out. A phase whose `fan_out` is written needs one, and is
 * refused here, before the run is opened; one with `required: false` (the built-in workflow's) runs as one agent.
 */
async function repositoryFor(workflow: ResolvedWorkflow): Promise<Repository | undefined> {
  const written = workflow.phases.find(
    (phase) => phase.fanOut !== undefined && phase.fanOut.optional !== true,
  );
  if (written !== undefined) return requireRepository(workflow.workspace, written.id);
  const optional = workflow.phases.find((phase) => phase.fanOut?.optional === true);
  if (optional === undefined) return undefined;
  return requireRepository(workflow.workspace, optional.id).catch((error: unknown) => {
    if (error instanceof WorktreeError) return undefined;
    throw error;
  });
}
