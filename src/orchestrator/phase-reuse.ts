/**
 * The phase cache around a phase (issue 18): before the phase runs, the hash of its inputs is looked up in the
 * journal's cache; a hit is the phase's result at no cost, a miss runs it and stores its result once it has passed
 * its gate (a halted, failed or aborted phase never is). The decision is a journaled step (`<phase>/reuse`), so a
 * resume replays it instead of looking the cache up again.
 *
 * Which phases: a read-only one (its role may only read) under `read-only` (the default) or `all`; one that
 * changes the workspace only under `all`, in a git workspace, its recorded changes re-applied and verified against
 * the recorded tree (`phase-changes.ts`). A fanned-out phase is a workspace-changing one like any other: what is
 * stored is its merged result as the workspace has it when the phase passed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import { noTokens, type TokenCounts } from '../events/event-base.js';
import type { DurableSteps } from '../journal/durable-steps.js';
import type { Journal } from '../journal/journal.js';
import type { PhaseCacheEntry, PhaseCacheStore } from '../journal/phase-cache-store.js';
import { stepAddress } from '../journal/step-keys.js';
import type { PassedOutcome, PhaseOutcome } from '../phase/phase-outcome.js';
import type { PhaseServices } from '../phase/phase-services.js';
import type { UpstreamHandoff } from '../phase/prompt.js';
import { passedOutcomeSchema } from '../phase/step-schemas.js';
import { snapshotWorkspace, type WorkspaceSnapshot } from '../tools/workspace-snapshot.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { Clock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';
import { sha256 } from '../util/stable-json.js';
import { phaseCacheKey } from './phase-cache-key.js';
import { applyChanges, recordChanges } from './phase-changes.js';

/** `read-only`: reuse phases that only read (the default); `all`: workspace-changing ones too; `off`: none. */
export type ReuseMode = 'read-only' | 'all' | 'off';
export const REUSE_MODES: readonly ReuseMode[] = ['read-only', 'all', 'off'];

export interface PhaseCacheContext {
  mode: ReuseMode;
  store: PhaseCacheStore;
  journal: Journal;
  runId: string;
  workflow: ResolvedWorkflow;
  task: string;
  steps: DurableSteps;
  emit: PhaseServices['emit'];
  clock: Clock;
  /** Waits until every event emitted so far is stored (the phase's figures are read back from them). */
  eventsSettled: () => Promise<void>;
  signal: AbortSignal;
  redactor?: Redactor;
}

const hitSchema = z.looseObject({
  runId: z.string(),
  outcome: passedOutcomeSchema,
  report: z.string().nullable(),
  costUsd: z.number(),
  durationMs: z.number(),
  changesApplied: z.boolean(),
});
/** The journaled decision: the key, the tree the phase starts from, and the entry reused or why none was. */
const decisionSchema = z.looseObject({
  key: z.string(),
  tree: z.string().nullable(),
  prefix: z.string().nullable(),
  hit: hitSchema.nullable(),
  reason: z.string().nullable(),
});
type ReuseDecision = z.infer<typeof decisionSchema>;

/** Whether the phase may be reused under `mode`, and how: read-only, or its changes re-applied. */
export function reuseKind(
  phase: ResolvedPhase,
  workflow: ResolvedWorkflow,
  mode: ReuseMode,
): 'read-only' | 'changes' | undefined {
  if (mode === 'off') return undefined;
  const permissions = workflow.agents[phase.agent]?.permissions ?? [];
  if (permissions.every((permission) => permission === 'read')) return 'read-only';
  return mode === 'all' ? 'changes' : undefined;
}

/** Runs the phase through the cache: its reused result, or `run()`'s, stored when it passed. */
export async function throughPhaseCache(
  context: PhaseCacheContext,
  phase: ResolvedPhase,
  upstream: readonly UpstreamHandoff[],
  artifactDir: string,
  run: () => Promise<PhaseOutcome>,
): Promise<PhaseOutcome> {
  const kind = reuseKind(phase, context.workflow, context.mode);
  if (kind === undefined) return run();
  const started = context.clock.now();
  const { value: decision, replayed } = await context.steps.step(
    { ...stepAddress({ phaseId: phase.id, step: 'reuse' }), phaseId: phase.id, schema: decisionSchema },
    () => decide(context, phase, upstream, kind),
  );
  if (decision.hit !== null) return reused(context, phase, decision, artifactDir, replayed, started);
  const outcome = await run();
  if (outcome.status === 'passed' && outcome.reusedFrom === undefined)
    await store(context, phase, decision, outcome, kind, started);
  return outcome;
}

async function decide(
  context: PhaseCacheContext,
  phase: ResolvedPhase,
  upstream: readonly UpstreamHandoff[],
  kind: 'read-only' | 'changes',
): Promise<ReuseDecision> {
  const { workflow, redactor } = context;
  const snapshot = await snapshotWorkspace(workflow.workspace, { abortSignal: context.signal });
  const redacted = (text: string) => redactor?.redact(text) ?? text;
  const key = phaseCacheKey({
    phase,
    workflow,
    task: context.task,
    upstream: await Promise.all(
      upstream.map(async ({ phaseId, handoff, reportPath }) => ({
        phaseId,
        handoff: redacted(handoff),
        report: await readFile(reportPath, 'utf8').then(
          (text) => sha256(redacted(text)),
          () => null,
        ),
      })),
    ),
    workspace: snapshot,
  });
  const tree = snapshot.kind === 'git' ? snapshot.tree : null;
  const prefix = snapshot.kind === 'git' ? snapshot.prefix : null;
  const miss = (reason: string): ReuseDecision => ({ key, tree, prefix, hit: null, reason });
  if (kind === 'changes' && snapshot.kind !== 'git') return miss('not a git workspace');
  const entry = await context.store.find(key);
  if (entry === undefined) return miss('no cached result');
  const parsed = passedOutcomeSchema.safeParse(entry.outcome);
  if (!parsed.success) return miss('the cached result is not a passed outcome this build reads');
  let changesApplied = false;
  if (kind === 'changes') {
    if (entry.treeAfter === null || entry.changes === null) return miss('the cached result has no changes');
    const applied = await applyChanges(
      workflow.workspace,
      prefix ?? '',
      entry.changes,
      entry.treeAfter,
      context.signal,
    );
    if (!applied.applied) return miss(applied.reason);
    changesApplied = true;
  }
  const { runId, report, costUsd, durationMs } = entry;
  return {
    key,
    tree,
    prefix,
    hit: { runId, outcome: parsed.data, report, costUsd, durationMs, changesApplied },
    reason: null,
  };
}

/** The reused result as this run's: its report written into this run's artifacts, and nothing spent. */
function reused(
  context: PhaseCacheContext,
  phase: ResolvedPhase,
  decision: ReuseDecision,
  artifactDir: string,
  replayed: boolean,
  started: number,
): PassedOutcome {
  const hit = decision.hit!;
  // A replayed decision's events are in the journal already.
  const emit: PhaseServices['emit'] = replayed
    ? (event) => context.emit({ ...event, replayed: true })
    : context.emit;
  const reportPath = join(artifactDir, 'report.md');
  if (hit.report !== null) writeFileAtomic(reportPath, hit.report);
  const outcome: PassedOutcome = {
    ...hit.outcome,
    phaseId: phase.id,
    costUsd: 0,
    reportPath,
    reusedFrom: { runId: hit.runId, costUsd: hit.costUsd, durationMs: hit.durationMs },
  };
  emit({ type: 'phase-start', phaseId: phase.id, resumed: replayed });
  emit({
    type: 'phase-reused',
    phaseId: phase.id,
    fromRunId: hit.runId,
    originalCostUsd: hit.costUsd,
    originalDurationMs: hit.durationMs,
    key: decision.key.slice(0, 12),
    changesApplied: hit.changesApplied,
  });
  const { attempts, tier, model, gateScore, message } = outcome;
  emit({
    type: 'phase-end',
    ...{ phaseId: phase.id, status: 'passed', attempts, tier, model, costUsd: 0, gateScore, message },
    reportPath,
    threshold: phase.gate.threshold,
    durationMs: context.clock.now() - started,
  });
  return outcome;
}

/** Stores a passed phase's result; a phase whose changes hold something secret-looking is not stored. */
async function store(
  context: PhaseCacheContext,
  phase: ResolvedPhase,
  decision: ReuseDecision,
  outcome: PassedOutcome,
  kind: 'read-only' | 'changes',
  started: number,
): Promise<void> {
  const { workflow, redactor } = context;
  let treeAfter: string | null = null;
  let changes: string | null = null;
  if (kind === 'changes') {
    if (decision.tree === null) return;
    const after: WorkspaceSnapshot = await snapshotWorkspace(workflow.workspace, {
      abortSignal: context.signal,
    });
    if (after.kind !== 'git') return;
    treeAfter = after.tree;
    changes = await recordChanges(workflow.workspace, decision.tree, after.tree);
    // A patch cannot be redacted and still apply: one that holds a secret is not kept at all.
    if (redactor !== undefined && redactor.redact(changes) !== changes) return;
  }
  const figures = await phaseFigures(context, phase.id);
  const report = await readFile(outcome.reportPath, 'utf8').catch(() => null);
  const entry: PhaseCacheEntry = {
    key: decision.key,
    phaseId: phase.id,
    runId: context.runId,
    outcome: redactor === undefined ? outcome : redactor.redactDeep(outcome),
    report: report === null || redactor === undefined ? report : redactor.redact(report),
    costUsd: outcome.costUsd,
    tokens: figures.tokens,
    durationMs: figures.durationMs ?? context.clock.now() - started,
    treeBefore: kind === 'changes' ? decision.tree : null,
    treeAfter,
    changes,
    createdAt: new Date(context.clock.now()).toISOString(),
  };
  await context.store.store(entry);
}

/** The phase's tokens and time as its stored events give them. */
async function phaseFigures(
  context: PhaseCacheContext,
  phaseId: string,
): Promise<{ tokens: TokenCounts; durationMs: number | undefined }> {
  await context.eventsSettled();
  const tokens = noTokens();
  let durationMs: number | undefined;
  for (const event of await context.journal.listEvents(context.runId)) {
    if (event.type === 'model-call-end' && event.phaseId === phaseId) {
      for (const name of Object.keys(tokens) as (keyof TokenCounts)[]) tokens[name] += event.tokens[name];
    }
    if (event.type === 'phase-end' && event.phaseId === phaseId) durationMs = event.durationMs;
  }
  return { tokens, durationMs };
}
