import { builtinAgents } from './builtin-agents.js';
import { BUILTIN_PHASES } from './builtin-phases.js';
import { CUSTOM_ROLE_DEFAULTS, ROLE_DEFAULTS } from './defaults.js';
import type { ModelReferenceCheck } from './model-reference.js';
import { orderPhases } from './phase-order.js';
import { baseRoleOf } from './resolve-agents.js';
import type { ResolveContext } from './resolve-context.js';
import { resolveFanOut } from './resolve-fan-out.js';
import { type PhaseScope, resolvePhase } from './resolve-phase.js';
import { defaultTierFor } from './role-tier.js';
import type { RawConfig } from './schema.js';
import type { AgentDefinition, ResolvedPhase } from './types.js';

/** Every phase with its defaults applied, in dependency order; cycles are reported where they are declared. */
export function resolvePhases(
  raw: RawConfig,
  names: {
    tiers: string[];
    checkModelReference: ModelReferenceCheck;
    agents: Readonly<Record<string, AgentDefinition>>;
  },
  context: ResolveContext,
): ResolvedPhase[] {
  const declared = raw.phases ?? BUILTIN_PHASES;
  const phaseIds = Object.keys(declared);
  if (raw.phases !== undefined && phaseIds.length === 0) {
    context.issues.add(['phases'], 'no phases defined', {
      hint: 'leave `phases:` out to run the built-in five',
    });
  }
  const scope: PhaseScope = {
    issues: context.issues,
    tiers: names.tiers,
    checkModelReference: names.checkModelReference,
    agentNames: [...new Set([...Object.keys(builtinAgents), ...Object.keys(raw.agents ?? {})])],
    phaseIds,
    escalation: raw.escalation,
    configDir: context.configDir,
    defaultsFor: (agent) => {
      const base = baseRoleOf(agent, raw.agents);
      const role = base === undefined ? CUSTOM_ROLE_DEFAULTS : ROLE_DEFAULTS[base];
      return { role, tier: defaultTierFor(role, names.tiers), baseRole: base };
    },
  };
  const resolved = phaseIds.map((id) => resolvePhase(id, declared[id] ?? {}, scope));
  const fanOutScope = { issues: context.issues, phases: resolved, agents: names.agents };
  const phases = resolved.map((phase): ResolvedPhase => {
    const fanOut = resolveFanOut(phase, declared[phase.id]?.fan_out, fanOutScope, {
      builtin: raw.phases === undefined,
    });
    // Only when on: a phase without it keeps the shape (and the workflow its hash) from before the field existed.
    return fanOut === undefined ? phase : { ...phase, fanOut };
  });
  return orderPhases(phases, (cycle) => {
    const first = cycle[0] ?? '';
    const key = declared[first]?.depends_on !== undefined ? 'depends_on' : 'dependencies';
    context.issues.add(['phases', first, key], `dependency cycle: ${cycle.join(' → ')}`, {
      hint: 'a phase cannot wait, directly or through others, for itself',
    });
  });
}
