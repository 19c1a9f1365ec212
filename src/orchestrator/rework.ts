/**
 * The review loop (DESIGN §3): when a review passes its gate but lists critical findings, the work goes back to
 * implementation with those findings, then to review again — up to `review_rounds` more rounds; after that the
 * review phase halts for a person. Each round runs fresh phase instances (`implementation@2`, `review@2`) whose
 * steps are journaled under their own keys and whose spending counts against the original phases' limits, so a
 * resumed run replays the rounds exactly.
 */

import type { Emit } from '../agent/agent-context.js';
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import { type Finding, parseFindings } from '../gate/findings.js';
import type { DurableSteps } from '../journal/durable-steps.js';
import { stepAddress, stepKey } from '../journal/step-keys.js';
import type { EscalationDecision } from '../phase/escalation.js';
import type { PhaseOutcome } from '../phase/phase-outcome.js';
import type { UpstreamHandoff } from '../phase/prompt.js';
import type { ReviewDecision } from '../phase/review-decision.js';
import type { ReworkPolicy } from '../phase/rework-policy.js';
import { escalationDecisionSchema, reviewDecisionSchema } from '../phase/step-schemas.js';

export interface ReworkPlan {
  implementation: ResolvedPhase;
}

/**
 * The built-in role a phase's agent plays: its own name, or the role it `extends`. Workflows journaled before
 * agents carried their role fall back to the agent's name.
 */
export function phaseRole(workflow: ResolvedWorkflow, phase: ResolvedPhase): string {
  const agent = Object.hasOwn(workflow.agents, phase.agent) ? workflow.agents[phase.agent] : undefined;
  return agent?.role ?? phase.agent;
}

/** A review phase that depends directly on an implementation phase loops back to it (by role: `extends` counts). */
export function reworkPlan(workflow: ResolvedWorkflow, review: ResolvedPhase): ReworkPlan | undefined {
  if (phaseRole(workflow, review) !== 'review') return undefined;
  const implementation = workflow.phases.find(
    (candidate) =>
      review.dependsOn.includes(candidate.id) && phaseRole(workflow, candidate) === 'implementation',
  );
  return implementation === undefined ? undefined : { implementation };
}

/**
 * What a review in a review loop is asked when its gate fails: if it failed only on its findings and lists
 * critical ones, the review itself did its job — the work goes back to implementation instead of the review
 * being retried.
 */
export const reworkOnCriticalFindings: ReworkPolicy = (attempt) => {
  const failed = attempt.gate.checks.filter((check) => !check.passed);
  const critical = parseFindings(attempt.report).some((finding) => finding.severity === 'critical');
  const onlyFindings = failed.length > 0 && failed.every((check) => check.kind === 'findings');
  return critical && onlyFindings ? 'critical findings: the work goes back to implementation' : undefined;
};

export type RunInstance = (phase: ResolvedPhase, upstream: UpstreamHandoff[]) => Promise<PhaseOutcome>;

export async function reviewWithRework(options: {
  review: ResolvedPhase;
  plan: ReworkPlan;
  /** The implementation phase's own upstream handoffs (its plan), reused in every round. */
  implementationUpstream: UpstreamHandoff[];
  first: PhaseOutcome;
  run: RunInstance;
  /** Rounds of rework allowed (`review_rounds`). */
  rounds: number;
  /** Where the halt after the last round is recorded, and a person's answer to it read back. */
  steps: DurableSteps;
  emit: Emit;
}): Promise<PhaseOutcome> {
  const { review, plan } = options;
  let outcome = options.first;
  let allowed = options.rounds;
  let personFeedback: string | null = null;
  for (let round = 2; ; round += 1) {
    if (outcome.status !== 'passed') return { ...outcome, phaseId: review.id };
    const critical = outcome.criticalFindings ?? [];
    if (critical.length === 0) return { ...outcome, phaseId: review.id };
    if (round > allowed + 1) {
      const answer = await haltForReview(
        options,
        outcome,
        `${critical.length} critical finding(s) remain after ${round - 2} rework round(s)`,
      );
      if (answer === undefined || answer.action === 'abort') {
        const status = answer === undefined ? 'halted' : 'aborted';
        const message =
          answer === undefined ? haltMessage(critical.length, round - 2) : `aborted by ${answer.by}`;
        return { ...outcome, phaseId: review.id, status, message };
      }
      if (answer.action === 'approve') {
        return {
          ...outcome,
          phaseId: review.id,
          message: `approved by ${answer.by} despite critical findings`,
        };
      }
      // Rejected: one more round, with the person's words for implementation.
      personFeedback = answer.feedback;
      allowed += 1;
    }
    const findings =
      describeFindings(critical) + (personFeedback === null ? '' : `\n\nA reviewer adds: ${personFeedback}`);
    const implementation = await options.run(instance(plan.implementation, round), [
      ...options.implementationUpstream,
      {
        phaseId: `${outcome.phaseId} (critical findings to fix)`,
        handoff: findings,
        reportPath: outcome.reportPath ?? '',
      },
    ]);
    if (implementation.status !== 'passed') {
      return {
        ...implementation,
        phaseId: review.id,
        message: `rework round ${round}: ${implementation.message ?? implementation.status}`,
      };
    }
    outcome = await options.run(instance(review, round), [
      {
        phaseId: implementation.phaseId,
        handoff: implementation.handoff ?? '',
        reportPath: implementation.reportPath ?? '',
      },
    ]);
  }
}

function instance(phase: ResolvedPhase, round: number): ResolvedPhase {
  return { ...phase, id: `${phase.id}@${round}` };
}

function describeFindings(findings: readonly Finding[]): string {
  return findings
    .map((finding) => {
      const where =
        finding.file === null ? '' : ` (${finding.file}${finding.line === null ? '' : `:${finding.line}`})`;
      return `- CRITICAL${where}: ${finding.issue} — fix: ${finding.fix}`;
    })
    .join('\n');
}

/**
 * The loop is out of rounds: record a halt where `approve`, `reject --feedback` and `abort` find it (beside the
 * last review's attempt), and return the person's answer when there already is one.
 */
async function haltForReview(
  options: { steps: DurableSteps; emit: Emit },
  outcome: PhaseOutcome,
  reason: string,
): Promise<ReviewDecision | undefined> {
  const { value, replayed } = await options.steps.step<EscalationDecision>(
    {
      ...stepAddress({ phaseId: outcome.phaseId, attempt: outcome.attempts, step: 'decision' }),
      phaseId: outcome.phaseId,
      schema: escalationDecisionSchema,
    },
    async () => ({ action: 'halt', ladderIndex: 0, tierIndex: -1, reason }),
  );
  options.emit({
    type: 'escalation-end',
    phaseId: outcome.phaseId,
    attempt: outcome.attempts,
    action: 'halt',
    fromTier: outcome.tier,
    toTier: outcome.tier,
    reason: value.reason,
    ...(replayed ? { replayed } : {}),
  });
  const review = stepKey({ phaseId: outcome.phaseId, attempt: outcome.attempts, step: 'review' });
  return options.steps.recorded(review, reviewDecisionSchema);
}

function haltMessage(count: number, rounds: number): string {
  return `${count} critical finding(s) remain after ${rounds} rework round(s); answer with \`phasewise approve\`, \`phasewise reject --feedback "…"\` or \`phasewise abort\``;
}
