/**
 * The policies an eval compares, each a pure transformation of the resolved workflow: `default` leaves it as
 * configured; `all-<tier>` starts every phase on one tier (no `auto`, no explicit model) and replaces each
 * escalation step with a retry, so its runs measure that tier's model alone (a gate's judge keeps its model: it is
 * part of the gate, not of the work); `all-top` and `all-cheapest` are the last and the first tier's.
 */
import type { EscalationStep, ResolvedWorkflow } from '../config/types.js';
import { UsageError } from '../errors/index.js';

export interface Policy {
  name: string;
  /** The one tier every phase runs on, or null for `default`. */
  tier: string | null;
  workflow: ResolvedWorkflow;
}

/** Every policy name a workflow understands, in the order they are documented. */
export function knownPolicyNames(workflow: ResolvedWorkflow): string[] {
  return ['default', 'all-top', 'all-cheapest', ...workflow.tiers.map((tier) => `all-${tier}`)];
}

/** The default comparison: the configured workflow beside each tier alone (which the outcome table needs). */
export function defaultPolicyNames(workflow: ResolvedWorkflow): string[] {
  return ['default', ...workflow.tiers.map((tier) => `all-${tier}`)];
}

export function resolvePolicy(workflow: ResolvedWorkflow, name: string): Policy {
  if (name === 'default') return { name, tier: null, workflow };
  const tier =
    name === 'all-top'
      ? workflow.tiers.at(-1)
      : name === 'all-cheapest'
        ? workflow.tiers[0]
        : workflow.tiers.find((candidate) => `all-${candidate}` === name);
  if (tier === undefined) {
    throw new UsageError(`unknown policy "${name}"`, {
      hint: `the policies of this configuration: ${knownPolicyNames(workflow).join(', ')}`,
    });
  }
  return { name, tier, workflow: pinnedToTier(workflow, tier) };
}

/** Every phase starts on `tier` (no `auto`, no explicit model) and never leaves it. */
export function pinnedToTier(workflow: ResolvedWorkflow, tier: string): ResolvedWorkflow {
  return {
    ...workflow,
    phases: workflow.phases.map((phase) => ({
      ...phase,
      model: { kind: 'tier', tier },
      escalation: phase.escalation.map((step): EscalationStep => (step === 'escalate' ? 'retry' : step)),
    })),
  };
}

/** `--policies a,b`: names checked, duplicates refused (a policy run twice is `--repeat`). */
export function parsePolicyList(workflow: ResolvedWorkflow, list: string | undefined): Policy[] {
  const names =
    list === undefined
      ? defaultPolicyNames(workflow)
      : list
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '');
  if (names.length === 0) {
    throw new UsageError('--policies names no policy', {
      hint: `e.g. --policies default,all-top (known: ${knownPolicyNames(workflow).join(', ')})`,
    });
  }
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    throw new UsageError(`--policies names "${twice}" twice`, { hint: 'name each policy once' });
  }
  return names.map((name) => resolvePolicy(workflow, name));
}
