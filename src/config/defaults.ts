import { PROVIDER_KIND_NAMES, PROVIDER_KIND_TABLE } from './provider-kinds.js';
import type { EscalationStep, GateCheckConfig, ProviderKind } from './types.js';
import { BUILTIN_AGENT_NAMES, type BuiltinAgentName } from './vocabulary.js';

/** Every default of the configuration in one place; the init template spells the same values out. */
const MINUTE_MS = 60_000;

export const DEFAULT_TIERS = ['haiku', 'sonnet', 'opus'] as const;

export const DEFAULT_TIER_MODELS: Readonly<Record<string, string>> = {
  haiku: 'anthropic:claude-haiku-4-5',
  sonnet: 'anthropic:claude-sonnet-4-5',
  opus: 'anthropic:claude-opus-4-5',
};

export const DEFAULT_BUDGET_USD = 1.5;
export const DEFAULT_CONCURRENCY = 2;
/** How many work items of a fanned-out phase run at the same time when `fan_out` does not say. */
export const DEFAULT_FAN_OUT_MAX_PARALLEL = 3;
/** Critical review findings send the work back to implementation at most this often, then the run halts. */
export const DEFAULT_REVIEW_ROUNDS = 2;
/** The environment variable holding the shared Postgres journal's URL, unless `journal.url_env` names another. */
export const DEFAULT_DATABASE_URL_ENV = 'PHASEWISE_DATABASE_URL';
export const DEFAULT_MAX_TURNS = 40;
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
export const DEFAULT_ESCALATION: readonly EscalationStep[] = ['retry', 'escalate', 'halt'];

/**
 * The gate's checks when a phase lists none, by the agent's role (its built-in name or the role it `extends`):
 *
 * | role           | sections | grounding | findings | diff                        | cost          | work-items   |
 * |----------------|----------|-----------|----------|-----------------------------|---------------|--------------|
 * | research       | 0.6      | 0.2       |          | unchanged, required, 0      | 0.2, required |              |
 * | planning       | 0.7      | 0.1       |          |                             | 0.2, required | required, 0  |
 * | implementation | 0.5      |           |          | changed, required, 0.3      | 0.2, required |              |
 * | review         | 0.4      |           | 0.4      | unchanged, required, 0      | 0.2, required |              |
 * | verification   | 0.6      |           |          |                             | 0.2, required |              |
 * | other agents   | 0.8      |           |          |                             | 0.2, required |              |
 *
 * Research and review read only, so a changed workspace vetoes them whatever else they scored; a zero weight
 * keeps that veto out of the score. A plan's work items, when it lists any, must be usable: an unusable list
 * vetoes it the same way, and a plan without one scores as before. Verification's commands come from the configuration, not from here.
 */
export function defaultGateChecks(role?: BuiltinAgentName): GateCheckConfig[] {
  const sections = (weight: number): GateCheckConfig => ({
    kind: 'sections',
    name: 'sections',
    weight,
    required: false,
  });
  const cost: GateCheckConfig = { kind: 'cost', name: 'cost', weight: 0.2, required: true };
  // A plan names files and functions it will create; research describes what exists.
  const grounding = (weight: number): GateCheckConfig => ({
    kind: 'grounding',
    name: 'grounding',
    weight,
    required: false,
    minCitations: 0,
    symbols: true,
    allowNew: role === 'planning',
  });
  const diff = (expect: 'unchanged' | 'changed', weight: number): GateCheckConfig => ({
    kind: 'diff',
    name: 'diff',
    weight,
    required: true,
    expect,
  });
  switch (role) {
    case 'research':
      return [sections(0.6), grounding(0.2), cost, diff('unchanged', 0)];
    case 'planning':
      return [sections(0.7), grounding(0.1), cost, { ...WORK_ITEMS_CHECK }];
    case 'implementation':
      return [sections(0.5), diff('changed', 0.3), cost];
    case 'review':
      return [sections(0.4), { ...DEFAULT_FINDINGS_CHECK }, cost, diff('unchanged', 0)];
    case 'verification':
      return [sections(0.6), cost];
    default:
      return [sections(0.8), cost];
  }
}

/** The limits the pattern gives a review: no critical finding, at most two high ones. */
export const DEFAULT_FINDINGS_LIMITS = { critical: 0, high: 2 } as const;

const DEFAULT_FINDINGS_CHECK: GateCheckConfig = {
  kind: 'findings',
  name: 'findings',
  weight: 0.4,
  required: false,
  limits: { ...DEFAULT_FINDINGS_LIMITS },
};

/** A plan's work items: a veto only, so a plan without them scores exactly as it would without the check. */
const WORK_ITEMS_CHECK: GateCheckConfig = {
  kind: 'work-items',
  name: 'work-items',
  weight: 0,
  required: true,
};

export const DEFAULT_COMMAND_TIMEOUT_MS = 5 * MINUTE_MS;

/** The defaults above in words, for the JSON Schema's description of `checks`. */
export function describeDefaultGateChecks(): string {
  const roles: Array<[string, BuiltinAgentName | undefined]> = [
    ...BUILTIN_AGENT_NAMES.map((name): [string, BuiltinAgentName] => [name, name]),
    ['other agents', undefined],
  ];
  const described = roles.map(
    ([label, role]) => `${label}: ${defaultGateChecks(role).map(describeCheck).join(', ')}`,
  );
  return `the gate's checks; when left out they default per role — ${described.join('; ')}`;
}

function describeCheck(check: GateCheckConfig): string {
  const expectation = check.kind === 'diff' ? ` ${check.expect}` : '';
  const required = check.required ? ' required' : '';
  return `${check.kind}${expectation} ${check.weight}${required}`;
}

/** Providers that exist without being declared, each of the kind of its name (`provider-kinds.ts`'s `implicit`). */
export const IMPLICIT_PROVIDER_KINDS: Readonly<Record<string, ProviderKind>> = Object.fromEntries(
  PROVIDER_KIND_NAMES.filter((kind) => PROVIDER_KIND_TABLE[kind].implicit).map((kind) => [kind, kind]),
);

/**
 * The variable each kind reads its key from (`provider-kinds.ts`). `claude-code` has none: Claude Code signs in
 * by itself (a subscription login, or ANTHROPIC_API_KEY in its environment), unless the provider names an
 * `api_key_env`.
 */
export const DEFAULT_API_KEY_ENV: Partial<Record<ProviderKind, string>> = Object.fromEntries(
  PROVIDER_KIND_NAMES.flatMap((kind) => {
    const variable = PROVIDER_KIND_TABLE[kind].apiKeyEnv;
    return variable === undefined ? [] : [[kind, variable]];
  }),
);

/** What a phase gets when it does not say: the table at the top of DESIGN.md. `tier` names the preferred tier;
 * when the configured tiers do not include it, its position (cheapest, middle, top) picks one instead; without
 * it the middle tier is used. */
export interface RoleDefaults {
  tier?: 'haiku' | 'sonnet' | 'opus';
  /** The role's ladder when neither the phase nor the configuration's top-level `escalation:` sets one. */
  escalation?: readonly EscalationStep[];
  threshold: number;
  costLimitUsd: number;
  timeoutMs: number;
}

export const ROLE_DEFAULTS: Readonly<Record<BuiltinAgentName, RoleDefaults>> = {
  research: { tier: 'haiku', threshold: 0.8, costLimitUsd: 0.05, timeoutMs: 10 * MINUTE_MS },
  planning: { tier: 'opus', threshold: 0.95, costLimitUsd: 0.3, timeoutMs: 20 * MINUTE_MS },
  // Start cheap and climb the whole ladder, no same-tier retry: on the shipped SWE-bench Verified outcomes this
  // solves 85 % for 66 % of all-top's cost, where starting on the middle tier with a retry costs 117 %
  // (docs/policy.md, "The defaults").
  implementation: {
    tier: 'haiku',
    escalation: ['escalate', 'escalate', 'halt'],
    threshold: 0.88,
    costLimitUsd: 0.2,
    timeoutMs: 45 * MINUTE_MS,
  },
  review: { tier: 'opus', threshold: 0.92, costLimitUsd: 0.25, timeoutMs: 30 * MINUTE_MS },
  verification: { tier: 'sonnet', threshold: 0.9, costLimitUsd: 0.18, timeoutMs: 25 * MINUTE_MS },
};

/** For a role defined by the user that extends no built-in one. */
export const CUSTOM_ROLE_DEFAULTS: RoleDefaults = {
  threshold: 0.85,
  costLimitUsd: 0.2,
  timeoutMs: 30 * MINUTE_MS,
};
