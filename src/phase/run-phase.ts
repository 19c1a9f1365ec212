/**
 * One phase: attempts until the gate passes or the escalation ladder says stop, inside the phase's own timeout.
 * A passed phase's outcome is a journal step, so a resumed run skips it whole. What the phase is (`PhaseSpec`)
 * and what it uses (`PhaseServices`) come apart; a bug thrown inside it is not a failed phase (`engine-bug.ts`).
 */
import { PhaseTimeoutError } from '../errors/index.js';
import { stepAddress, stepKey } from '../journal/step-keys.js';
import { ChangeWindows } from '../tools/change-windows.js';
import { workspaceSnapshotSchema } from '../tools/step-schemas.js';
import { snapshotWorkspace, type WorkspaceSnapshot } from '../tools/workspace-snapshot.js';
import { type LinkedAbort, linkedAbort } from '../util/abort.js';
import { type AttemptResult, runAttempt } from './attempt.js';
import { autoTier } from './auto-model.js';
import { isEngineBug } from './engine-bug.js';
import { decideEscalation, type EscalationDecision } from './escalation.js';
import { initialTier, type TierPosition, tierAt } from './model-choice.js';
import {
  type AttemptState,
  failedOutcome,
  type PhaseOutcome,
  passedOutcome,
  stoppedOutcome,
} from './phase-outcome.js';
import type { PhaseServices } from './phase-services.js';
import type { PhaseSpec } from './phase-spec.js';
import type { PromptInput } from './prompt.js';
import { trackReplay } from './replay-tracker.js';
import { escalationDecisionSchema, passedOutcomeSchema, reviewDecisionSchema } from './step-schemas.js';

export async function runPhase(spec: PhaseSpec, services: PhaseServices): Promise<PhaseOutcome> {
  const { phase } = spec;
  const { steps, clock } = services;
  const started = clock.now();
  const recorded = await steps.recorded(stepKey({ phaseId: phase.id, step: 'result' }), passedOutcomeSchema);
  // A phase whose result is recorded is all replay: its start and end are already in the journal.
  const emit: PhaseServices['emit'] =
    recorded === undefined ? services.emit : (event) => services.emit({ ...event, replayed: true });
  const resumed =
    recorded !== undefined ||
    (await steps.has(stepKey({ phaseId: phase.id, attempt: 1, turn: 1, step: 'model' })));
  emit({ type: 'phase-start', phaseId: phase.id, resumed });
  const outcome =
    recorded ?? (await attemptPhase(spec, { ...services, ...trackReplay(steps, services.emit) }));
  const { phaseId, status, attempts, tier, model, costUsd, gateScore, reportPath, message } = outcome;
  emit({
    type: 'phase-end',
    ...{ phaseId, status, attempts, tier, model, costUsd, gateScore, reportPath, message },
    threshold: phase.gate.threshold,
    durationMs: clock.now() - started,
  });
  return outcome;
}

/**
 * The attempts of a phase inside its own timeout; whatever stops them becomes the phase's outcome — except a bug,
 * which goes up as the engine failure it is.
 */
async function attemptPhase(spec: PhaseSpec, services: PhaseServices): Promise<PhaseOutcome> {
  const { phase } = spec;
  // `model: auto` counts the workspace's files: it waits for the workspace.
  if (phase.model.kind === 'auto') await services.workspaceReady;
  const state: AttemptState = {
    attempts: 0,
    position:
      phase.model.kind === 'auto' ? await autoTier(spec, services) : initialTier(phase.model, spec.workflow),
    gateScore: null,
  };
  const timeout = linkedAbort([services.abortSignal], {
    ms: phase.timeoutMs,
    reason: () => new PhaseTimeoutError(phase.id, phase.timeoutMs, { runId: spec.runId }),
  });
  try {
    return await attemptLoop(spec, services, timeout, state);
  } catch (error) {
    const reason = timeout.signal.aborted ? timeout.signal.reason : error;
    if (isEngineBug(reason)) throw reason;
    return failedOutcome(spec, services, state, reason);
  } finally {
    timeout.dispose();
  }
}

async function attemptLoop(
  spec: PhaseSpec,
  services: PhaseServices,
  timeout: LinkedAbort,
  state: AttemptState,
): Promise<PhaseOutcome> {
  const { phase } = spec;
  const { steps } = services;
  const { signal } = timeout;
  let ladderIndex = 0;
  let feedback: PromptInput['feedback'];
  let spentInEarlierAttempts = 0;
  // What the workspace looked like before the phase touched it, for the gate's `diff` check. It is taken while
  // the first model call is under way: no tool runs, no merged result is applied and no gate judges before it
  // is (attempt.ts). Should it fail, the phase stops with its error, as if it had been taken first.
  const before = steps
    .step<WorkspaceSnapshot>(
      {
        ...stepAddress({ phaseId: phase.id, step: 'snapshot' }),
        phaseId: phase.id,
        schema: workspaceSnapshotSchema,
      },
      async () => {
        await services.workspaceReady;
        return snapshotWorkspace(spec.workflow.workspace, { abortSignal: signal });
      },
    )
    // Replayed, it still waits for the workspace (a lane's worktree made again): what waits for it needs both.
    .then(async ({ value }) => {
      await services.workspaceReady;
      return value;
    });
  before.catch((error: unknown) => timeout.abort(error));
  const windows = new ChangeWindows();
  for (let attempt = 1; ; attempt += 1) {
    state.attempts = attempt;
    const result = await runAttempt(spec, services, {
      abortSignal: signal,
      attempt,
      position: state.position,
      feedback,
      priorPhaseCostUsd: spentInEarlierAttempts,
      before,
      windows,
    });
    spentInEarlierAttempts += result.agent.costUsd;
    state.gateScore = result.gate.score;
    if (result.gate.passed && result.halt === null) return passedOutcome(spec, services, state, result);
    const reworkNote =
      result.halt === null ? services.rework?.({ report: result.agent.text, gate: result.gate }) : undefined;
    if (reworkNote !== undefined) return passedOutcome(spec, services, state, result, reworkNote);
    const { value: decision } = await steps.step<EscalationDecision>(
      {
        ...stepAddress({ phaseId: phase.id, attempt, step: 'decision' }),
        phaseId: phase.id,
        schema: escalationDecisionSchema,
      },
      async () =>
        result.halt === null
          ? decide(spec, services, state.position, ladderIndex, result)
          : { action: 'halt', ladderIndex, tierIndex: state.position.tierIndex, reason: result.halt },
    );
    services.emit({
      type: 'escalation-end',
      phaseId: phase.id,
      attempt,
      action: decision.action,
      fromTier: state.position.label,
      toTier: decision.tierIndex >= 0 ? spec.workflow.tiers[decision.tierIndex]! : state.position.label,
      reason: decision.reason,
    });
    let personFeedback: string | null = null;
    // An exhausted ladder halts too: either way the phase waits for a person's answer.
    if (decision.action === 'halt' || decision.action === 'fail') {
      const review = await steps.recorded(
        stepKey({ phaseId: phase.id, attempt, step: 'review' }),
        reviewDecisionSchema,
      );
      if (review === undefined)
        return stoppedOutcome(spec, services, state, 'halted', haltMessage(decision.reason));
      if (review.action === 'abort')
        return stoppedOutcome(spec, services, state, 'aborted', `aborted by ${review.by}`);
      if (review.action === 'approve') {
        return passedOutcome(
          spec,
          services,
          state,
          result,
          `approved by ${review.by} at gate score ${result.gate.score}`,
        );
      }
      // Rejected: another attempt on the same tier, with the person's feedback and a fresh ladder.
      personFeedback = review.feedback;
    }
    ladderIndex = decision.action === 'halt' || decision.action === 'fail' ? 0 : decision.ladderIndex;
    if (decision.action === 'escalate') state.position = tierAt(spec.workflow, decision.tierIndex);
    feedback = {
      attempt,
      score: result.gate.score,
      threshold: result.gate.threshold,
      checks: result.gate.checks,
      stopped: result.agent.stopDetail,
      person: personFeedback,
    };
  }
}

function decide(
  spec: PhaseSpec,
  services: PhaseServices,
  position: TierPosition,
  ladderIndex: number,
  result: AttemptResult,
) {
  const { workflow, phase } = spec;
  const hasNext = position.tierIndex >= 0 && position.tierIndex < workflow.tiers.length - 1;
  const current = services.resolveModel(position.ref).price.output;
  const next = hasNext
    ? services.resolveModel(tierAt(workflow, position.tierIndex + 1).ref).price.output
    : current;
  return decideEscalation({
    ladder: phase.escalation,
    ladderIndex,
    tiers: workflow.tiers,
    tierIndex: position.tierIndex,
    lastAttemptCostUsd: result.agent.costUsd,
    nextTierPriceRatio: current === 0 ? 1 : next / current,
    availableUsd: services.ledger.available(phase.id).usd,
  });
}

function haltMessage(reason: string): string {
  return `${reason}; answer with \`phasewise approve\`, \`phasewise reject --feedback "…"\` or \`phasewise abort\``;
}
