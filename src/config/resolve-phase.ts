import {
  DEFAULT_ESCALATION,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_MAX_TURNS,
  type RoleDefaults,
} from './defaults.js';
import { closestMatch, suggestionHint } from './did-you-mean.js';
import type { FieldPath } from './field-path.js';
import type { IssueCollector } from './issue-collector.js';
import type { ModelReferenceCheck } from './model-reference.js';
import { resolveGate } from './resolve-gate.js';
import type { RawPhase } from './schema.js';
import type { EscalationStep, ModelChoice, ResolvedPhase } from './types.js';
import { AUTO_MODEL, type BuiltinAgentName } from './vocabulary.js';

/** What one phase is resolved against: the names defined elsewhere in the configuration. */
export interface PhaseScope {
  issues: IssueCollector;
  tiers: readonly string[];
  checkModelReference: ModelReferenceCheck;
  agentNames: readonly string[];
  phaseIds: readonly string[];
  /** The configuration's top-level `escalation:`; a phase's own wins over it, and it over the role's default. */
  escalation: readonly EscalationStep[] | undefined;
  /** Directory of the configuration file (files named by checks are relative to it). */
  configDir: string;
  /** Role defaults, default tier and the built-in role (if any) of an agent, given its name. */
  defaultsFor(agent: string): { role: RoleDefaults; tier: string; baseRole: BuiltinAgentName | undefined };
}

export function resolvePhase(id: string, raw: RawPhase, scope: PhaseScope): ResolvedPhase {
  const at = ['phases', id];
  const agent = resolveAgentName(id, raw, scope);
  const { role, tier, baseRole } = scope.defaultsFor(agent);
  return {
    id,
    agent,
    model: resolveModelChoice(raw.model, [...at, 'model'], tier, scope),
    timeoutMs: raw.timeout ?? role.timeoutMs,
    costLimitUsd: raw.cost_limit ?? role.costLimitUsd,
    dependsOn: resolveDependencies(id, raw, scope),
    gate: resolveGate(raw, at, {
      defaultThreshold: role.threshold,
      role: baseRole,
      configDir: scope.configDir,
      tiers: scope.tiers,
      checkModelReference: scope.checkModelReference,
      issues: scope.issues,
    }),
    escalation: [...(raw.escalation ?? scope.escalation ?? role.escalation ?? DEFAULT_ESCALATION)],
    maxTurns: raw.max_turns ?? DEFAULT_MAX_TURNS,
    maxOutputTokens: raw.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
  };
}

/** `agent:` may be left out when the phase id names an agent (`research:` runs the research role). */
function resolveAgentName(id: string, raw: RawPhase, scope: PhaseScope): string {
  const agent = raw.agent ?? id;
  if (scope.agentNames.includes(agent)) return agent;
  if (raw.agent === undefined) {
    scope.issues.add(['phases', id], `phase \`${id}\` needs an \`agent\`: its id names no agent`, {
      at: 'key',
      hint: `agents: ${scope.agentNames.join(', ')}; define others under agents:`,
    });
  } else {
    scope.issues.add(
      ['phases', id, 'agent'],
      `unknown agent \`${agent}\` (agents: ${scope.agentNames.join(', ')})`,
      {
        hint:
          closestMatch(agent, scope.agentNames) === undefined
            ? 'define it under agents:'
            : suggestionHint(agent, scope.agentNames, 'agents'),
      },
    );
  }
  return agent;
}

function resolveModelChoice(
  raw: string | undefined,
  at: FieldPath,
  defaultTier: string,
  scope: PhaseScope,
): ModelChoice {
  if (raw === undefined) return { kind: 'tier', tier: defaultTier };
  if (raw === AUTO_MODEL) return { kind: 'auto' };
  if (raw.includes(':')) {
    scope.checkModelReference(raw, at);
    return { kind: 'model', ref: raw };
  }
  if (!scope.tiers.includes(raw)) {
    scope.issues.add(at, `unknown tier \`${raw}\` (tiers: ${scope.tiers.join(', ')})`, {
      hint:
        closestMatch(raw, scope.tiers) === undefined
          ? 'a model is a tier, a provider:model reference, or auto'
          : suggestionHint(raw, scope.tiers, 'tiers'),
    });
  }
  return { kind: 'tier', tier: raw };
}

/** `depends_on` or the pattern's `dependencies`, a name or a list; unknown names are reported and dropped. */
function resolveDependencies(id: string, raw: RawPhase, scope: PhaseScope): string[] {
  const key = raw.depends_on !== undefined ? 'depends_on' : 'dependencies';
  if (raw.depends_on !== undefined && raw.dependencies !== undefined) {
    scope.issues.add(['phases', id, 'dependencies'], '`dependencies` and `depends_on` both given', {
      at: 'key',
      hint: 'they mean the same: keep one',
    });
  }
  const dependencies: string[] = [];
  (raw.depends_on ?? raw.dependencies ?? []).forEach((dependency, index) => {
    if (!scope.phaseIds.includes(dependency)) {
      scope.issues.add(['phases', id, key, index], `unknown phase \`${dependency}\``, {
        hint: suggestionHint(dependency, scope.phaseIds, 'phases'),
      });
    } else if (!dependencies.includes(dependency)) {
      dependencies.push(dependency);
    }
  });
  return dependencies;
}
