import { usd } from '../util/format.js';
import { DEFAULT_FAN_OUT_MAX_PARALLEL } from './defaults.js';
import { closestMatch } from './did-you-mean.js';
import { type FieldPath, ownValue } from './field-path.js';
import { IssueCollector } from './issue-collector.js';
import type { RawFanOut } from './schema.js';
import type { AgentDefinition, BuiltinRole, FanOutSettings, ResolvedPhase } from './types.js';
import { FAN_OUT_FROM_TASK, FAN_OUT_OFF } from './vocabulary.js';

/**
 * A phase's `fan_out:` checked against the rest of the workflow: its work items come from a phase upstream of it
 * (through depends_on, directly or not) or from the task, its agent changes the workspace, and one item may not
 * be allowed more than the whole phase. It runs once every phase is resolved, since "upstream" is a property of
 * the whole graph.
 */
export interface FanOutScope {
  issues: IssueCollector;
  /** Every phase of the workflow, in declaration order. */
  phases: readonly ResolvedPhase[];
  agents: Readonly<Record<string, AgentDefinition>>;
}

/** Roles whose work is to leave the workspace as it is: splitting it into parts that each change it makes no sense. */
const NON_WRITING_ROLES: Readonly<Partial<Record<BuiltinRole, string>>> = {
  research: 'reads the code and reports',
  review: 'reads the change and reports findings',
  verification: 'runs checks and reports',
};

const WRITER_HINT =
  'fan-out runs the agent once per work item, each changing its own worktree: use it on a phase whose agent ' +
  'writes (implementation, or an agent with `permissions: [read, write]`), or remove `fan_out`';

/**
 * The phase's settings, or undefined when it runs as one agent; problems go to `scope.issues`. The built-in
 * workflow's fan-out is nobody's writing: where it would be a problem (its agent redefined as read-only), the
 * phase just runs as one agent.
 */
export function resolveFanOut(
  phase: ResolvedPhase,
  raw: RawFanOut | undefined,
  scope: FanOutScope,
  options: { builtin: boolean } = { builtin: false },
): FanOutSettings | undefined {
  if (raw === undefined || raw === FAN_OUT_OFF) return undefined;
  if (options.builtin) {
    const quiet = new IssueCollector();
    const settings = resolveFanOut(phase, raw, { ...scope, issues: quiet });
    return quiet.issues.length > 0 ? undefined : settings;
  }
  const at: FieldPath = ['phases', phase.id, 'fan_out'];
  checkWriter(phase, at, scope);
  checkSource(phase, raw.from, [...at, 'from'], scope);
  const itemLimit = raw.item_cost_limit;
  if (itemLimit !== undefined && itemLimit > phase.costLimitUsd) {
    scope.issues.add(
      [...at, 'item_cost_limit'],
      `one item may not be allowed more than the whole phase: ${usd(itemLimit)} is over \`${phase.id}\`'s cost_limit of ${usd(phase.costLimitUsd)}`,
      {
        hint: "lower item_cost_limit, raise the phase's cost_limit, or leave item_cost_limit out for an equal share",
      },
    );
  }
  return {
    from: raw.from,
    maxParallel: raw.max_parallel ?? DEFAULT_FAN_OUT_MAX_PARALLEL,
    ...(itemLimit === undefined ? {} : { itemCostLimitUsd: itemLimit }),
    ...(raw.copy_ignored === undefined || raw.copy_ignored.length === 0
      ? {}
      : { copyIgnored: [...new Set(raw.copy_ignored)] }),
    ...(raw.required === false ? { optional: true as const } : {}),
  };
}

function checkWriter(phase: ResolvedPhase, at: FieldPath, scope: FanOutScope): void {
  // An unknown agent is reported where it is named.
  const agent = ownValue(scope.agents, phase.agent);
  if (agent === undefined) return;
  const roleWork = agent.role === undefined ? undefined : NON_WRITING_ROLES[agent.role];
  if (roleWork !== undefined) {
    const which = agent.name === agent.role ? `is the ${agent.role} role` : `extends ${agent.role}`;
    scope.issues.add(
      at,
      `phase \`${phase.id}\` cannot fan out: its agent \`${agent.name}\` ${which}, which ${roleWork}`,
      { at: 'key', hint: WRITER_HINT },
    );
  } else if (!agent.permissions.includes('write')) {
    scope.issues.add(
      at,
      `phase \`${phase.id}\` cannot fan out: its agent \`${agent.name}\` cannot write (permissions: ${agent.permissions.join(', ')})`,
      { at: 'key', hint: WRITER_HINT },
    );
  }
}

function checkSource(phase: ResolvedPhase, from: string, at: FieldPath, scope: FanOutScope): void {
  const phaseIds = scope.phases.map((each) => each.id);
  if (from === FAN_OUT_FROM_TASK) {
    if (phaseIds.includes(FAN_OUT_FROM_TASK)) {
      scope.issues.add(at, `\`${FAN_OUT_FROM_TASK}\` is ambiguous: it names both the task and a phase`, {
        hint: `rename the phase \`${FAN_OUT_FROM_TASK}\`; \`from: ${FAN_OUT_FROM_TASK}\` always means the task file`,
      });
    }
    return;
  }
  const upstream = upstreamOf(phase.id, scope.phases);
  if (upstream.includes(from)) return;
  const message =
    from === phase.id
      ? `phase \`${phase.id}\` cannot take its work items from itself`
      : phaseIds.includes(from)
        ? `\`${from}\` is not upstream of \`${phase.id}\`: work items come from a phase it depends on`
        : `unknown phase \`${from}\``;
  scope.issues.add(at, message, { hint: sourceHint(phase.id, from, upstream) });
}

/** Names the phases that are upstream, so the author sees what `from` may be. */
function sourceHint(id: string, from: string, upstream: readonly string[]): string {
  const close = closestMatch(from, [...upstream, FAN_OUT_FROM_TASK]);
  const suggestion = close === undefined || close === from ? '' : `did you mean \`${close}\`? `;
  const task = `\`${FAN_OUT_FROM_TASK}\` for the task file's items`;
  return upstream.length === 0
    ? `${suggestion}\`${id}\` has no upstream phases: add the phase that lists the work items to its depends_on, or use ${task}`
    : `${suggestion}upstream of \`${id}\` (through depends_on): ${upstream.join(', ')}; or ${task}`;
}

/** Every phase `id` waits for, directly or through others, in declaration order; a cycle ends the walk. */
function upstreamOf(id: string, phases: readonly ResolvedPhase[]): string[] {
  const byId = new Map(phases.map((phase) => [phase.id, phase]));
  const found = new Set<string>();
  const pending = [...(byId.get(id)?.dependsOn ?? [])];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (found.has(next)) continue;
    found.add(next);
    pending.push(...(byId.get(next)?.dependsOn ?? []));
  }
  return phases.map((phase) => phase.id).filter((each) => found.has(each) && each !== id);
}
