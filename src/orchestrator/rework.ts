/**
 * The review loop (DESIGN §3): when a review passes its gate but lists critical findings, the work goes back to
 * implementation with those findings, then to review again — up to `review_rounds` more rounds; after that the
 * review phase halts for a person. Each round runs fresh phase instances (`implementation@2`, `review@2`) whose
 * steps are journaled under their own keys and whose spending counts against the original phases' limits, so a
 * resumed run replays the rounds exactly.
 */
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import type { Finding } from '../gate/findings.js';
import type { PhaseOutcome } from '../phase/phase-context.js';
import type { UpstreamHandoff } from '../phase/prompt.js';

export interface ReworkPlan {
  implementation: ResolvedPhase;
}

/** A review phase that depends directly on an implementation phase loops back to it. */
export function reworkPlan(workflow: ResolvedWorkflow, review: ResolvedPhase): ReworkPlan | undefined {
  if (review.agent !== 'review') return undefined;
  const implementation = workflow.phases.find(
    (candidate) => review.dependsOn.includes(candidate.id) && candidate.agent === 'implementation',
  );
  return implementation === undefined ? undefined : { implementation };
}

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
}): Promise<PhaseOutcome> {
  const { review, plan, rounds } = options;
  let outcome = options.first;
  for (let round = 2; ; round += 1) {
    const critical = outcome.criticalFindings ?? [];
    if (outcome.status !== 'passed' || critical.length === 0) return { ...outcome, phaseId: review.id };
    if (round > rounds + 1) {
      return {
        ...outcome,
        phaseId: review.id,
        status: 'halted',
        message: `${critical.length} critical finding(s) remain after ${rounds} rework round(s); fix them by hand and resume with --force, or abort`,
      };
    }
    const implementation = await options.run(instance(plan.implementation, round), [
      ...options.implementationUpstream,
      {
        phaseId: `${outcome.phaseId} (critical findings to fix)`,
        handoff: describeFindings(critical),
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
