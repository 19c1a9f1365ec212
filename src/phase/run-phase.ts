/**
 * One phase: attempts until the gate passes or the escalation ladder says stop, inside the phase's own timeout.
 * A passed phase's outcome is a journal step, so a resumed run skips it whole.
 */
import { PhaseTimeoutError } from '../errors/index.js';
import { parseFindings } from '../gate/findings.js';
import { stepAddress, stepKey } from '../journal/step-keys.js';
import { ChangeWindows } from '../tools/change-windows.js';
import { workspaceSnapshotSchema } from '../tools/step-schemas.js';
import { snapshotWorkspace, type WorkspaceSnapshot } from '../tools/workspace-snapshot.js';
import { linkedAbort } from '../util/abort.js';
import { type AttemptResult, runAttempt } from './attempt.js';
import { autoTier } from './auto-model.js';
import { decideEscalation, type EscalationDecision } from './escalation.js';
import { initialTier, type TierPosition, tierAt } from './model-choice.js';
import type { PhaseContext, PhaseOutcome } from './phase-context.js';
import { type AttemptState, failedOutcome, outcomeOf, passedOutcome } from './phase-outcome.js';
import type { PromptInput } from './prompt.js';
import { trackReplay } from './replay-tracker.js';
import { escalationDecisionSchema, passedOutcomeSchema, reviewDecisionSchema } from './step-schemas.js';

export async function runPhase(context: PhaseContext): Promise<PhaseOutcome> {
  const { phase, steps, clock } = context;
  const started = clock.now();
  const recorded = steps.recorded(stepKey({ phaseId: phase.id, step: 'result' }), passedOutcomeSchema);
  // A phase whose result is recorded is all replay: its start and end are already in the journal.
  const emit: PhaseContext['emit'] =
    recorded === undefined ? context.emit : (event) => context.emit({ ...event, replayed: true });
  const resumed =
    recorded !== undefined || steps.has(stepKey({ phaseId: phase.id, attempt: 1, turn: 1, step: 'model' }));
  emit({ type: 'phase-start', phaseId: phase.id, resumed });
  const outcome = recorded ?? (await attemptPhase({ ...context, ...trackReplay(steps, context.emit) }));
  const { phaseId, status, attempts, tier, model, costUsd, gateScore, reportPath, message } = outcome;
  emit({
    type: 'phase-end',
    ...{ phaseId, status, attempts, tier, model, costUsd, gateScore, reportPath, message },
    threshold: phase.gate.threshold,
    durationMs: clock.now() - started,
  });
  return outcome;
}

/** The attempts of a phase inside its own timeout; whatever stops them becomes the phase's outcome. */
async function attemptPhase(context: PhaseContext): Promise<PhaseOutcome> {
  const { phase } = context;
  const state: AttemptState = {
    attempts: 0,
    position:
      phase.model.kind === 'auto' ? await autoTier(context) : initialTier(phase.model, context.workflow),
    gateScore: null,
  };
  const timeout = linkedAbort([context.abortSignal], {
    ms: phase.timeoutMs,
    reason: () => new PhaseTimeoutError(phase.id, phase.timeoutMs, { runId: context.runId }),
  });
  try {
    return await attemptLoop(context, timeout.signal, state);
  } catch (error) {
    return failedOutcome(context, state, timeout.signal.aborted ? timeout.signal.reason : error);
  } finally {
    timeout.dispose();
  }
}

async function attemptLoop(
  context: PhaseContext,
  signal: AbortSignal,
  state: AttemptState,
): Promise<PhaseOutcome> {
  const { phase, steps } = context;
  let ladderIndex = 0;
  let feedback: PromptInput['feedback'];
  let spentInEarlierAttempts = 0;
  // What the workspace looked like before the phase touched it, for the gate's `diff` check.
  const { value: before } = await steps.step<WorkspaceSnapshot>(
    {
      ...stepAddress({ phaseId: phase.id, step: 'snapshot' }),
      phaseId: phase.id,
      schema: workspaceSnapshotSchema,
    },
    () => snapshotWorkspace(context.workflow.workspace, { abortSignal: signal }),
  );
  const windows = new ChangeWindows();
  for (let attempt = 1; ; attempt += 1) {
    state.attempts = attempt;
    const result = await runAttempt(context, {
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
    if (result.gate.passed) return passedOutcome(context, state, result);
    if (context.reworkOnCriticalFindings === true && failedOnlyOnCriticalFindings(result)) {
      return passedOutcome(context, state, result, 'critical findings: the work goes back to implementation');
    }
    const { value: decision } = await steps.step<EscalationDecision>(
      {
        ...stepAddress({ phaseId: phase.id, attempt, step: 'decision' }),
        phaseId: phase.id,
        schema: escalationDecisionSchema,
      },
      async () => decide(context, state.position, ladderIndex, result),
    );
    context.emit({
      type: 'escalation-end',
      phaseId: phase.id,
      attempt,
      action: decision.action,
      fromTier: state.position.label,
      toTier: decision.tierIndex >= 0 ? context.workflow.tiers[decision.tierIndex]! : state.position.label,
      reason: decision.reason,
    });
    let personFeedback: string | null = null;
    // An exhausted ladder halts too: either way the phase waits for a person's answer.
    if (decision.action === 'halt' || decision.action === 'fail') {
      const review = steps.recorded(
        stepKey({ phaseId: phase.id, attempt, step: 'review' }),
        reviewDecisionSchema,
      );
      if (review === undefined)
        return outcomeOf(context, state, 'halted', null, haltMessage(decision.reason));
      if (review.action === 'abort')
        return outcomeOf(context, state, 'aborted', null, `aborted by ${review.by}`);
      if (review.action === 'approve') {
        return passedOutcome(
          context,
          state,
          result,
          `approved by ${review.by} at gate score ${result.gate.score}`,
        );
      }
      // Rejected: another attempt on the same tier, with the person's feedback and a fresh ladder.
      personFeedback = review.feedback;
    }
    ladderIndex = decision.action === 'halt' || decision.action === 'fail' ? 0 : decision.ladderIndex;
    if (decision.action === 'escalate') state.position = tierAt(context.workflow, decision.tierIndex);
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

function decide(context: PhaseContext, position: TierPosition, ladderIndex: number, result: AttemptResult) {
  const { workflow, phase } = context;
  const hasNext = position.tierIndex >= 0 && position.tierIndex < workflow.tiers.length - 1;
  const current = context.resolveModel(position.ref).price.output;
  const next = hasNext
    ? context.resolveModel(tierAt(workflow, position.tierIndex + 1).ref).price.output
    : current;
  return decideEscalation({
    ladder: phase.escalation,
    ladderIndex,
    tiers: workflow.tiers,
    tierIndex: position.tierIndex,
    lastAttemptCostUsd: result.agent.costUsd,
    nextTierPriceRatio: current === 0 ? 1 : next / current,
    availableUsd: context.ledger.available(phase.id).usd,
  });
}

function haltMessage(reason: string): string {
  return `${reason}; answer with \`phasewise approve\`, \`phasewise reject --feedback "…"\` or \`phasewise abort\``;
}

function failedOnlyOnCriticalFindings(result: AttemptResult): boolean {
  const failed = result.gate.checks.filter((check) => !check.passed);
  const critical = parseFindings(result.agent.text).some((finding) => finding.severity === 'critical');
  return critical && failed.length > 0 && failed.every((check) => check.kind === 'findings');
}
