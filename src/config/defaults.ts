import type { EscalationStep, GateCheckConfig, ProviderKind } from './types.js';
import type { BuiltinAgentName } from './vocabulary.js';

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
export const DEFAULT_MAX_TURNS = 40;
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
export const DEFAULT_ESCALATION: readonly EscalationStep[] = ['retry', 'escalate', 'halt'];

export function defaultGateChecks(): GateCheckConfig[] {
  return [
    { kind: 'sections', name: 'sections', weight: 0.8, required: false },
    { kind: 'cost', name: 'cost', weight: 0.2, required: true },
  ];
}

/** Providers that exist without being declared, and the environment variable each kind reads its key from. */
export const IMPLICIT_PROVIDER_KINDS: Readonly<Record<string, ProviderKind>> = {
  anthropic: 'anthropic',
  openai: 'openai',
  scripted: 'scripted',
};

export const DEFAULT_API_KEY_ENV: Partial<Record<ProviderKind, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

/** What a phase gets when it does not say: the table at the top of DESIGN.md. `tier` names the preferred tier;
 * when the configured tiers do not include it, its position (cheapest, middle, top) picks one instead; without
 * it the middle tier is used. */
export interface RoleDefaults {
  tier?: 'haiku' | 'sonnet' | 'opus';
  threshold: number;
  costLimitUsd: number;
  timeoutMs: number;
}

export const ROLE_DEFAULTS: Readonly<Record<BuiltinAgentName, RoleDefaults>> = {
  research: { tier: 'haiku', threshold: 0.8, costLimitUsd: 0.05, timeoutMs: 10 * MINUTE_MS },
  planning: { tier: 'opus', threshold: 0.95, costLimitUsd: 0.3, timeoutMs: 20 * MINUTE_MS },
  implementation: { tier: 'sonnet', threshold: 0.88, costLimitUsd: 0.2, timeoutMs: 45 * MINUTE_MS },
  review: { tier: 'opus', threshold: 0.92, costLimitUsd: 0.25, timeoutMs: 30 * MINUTE_MS },
  verification: { tier: 'sonnet', threshold: 0.9, costLimitUsd: 0.18, timeoutMs: 25 * MINUTE_MS },
};

/** For a role defined by the user that extends no built-in one. */
export const CUSTOM_ROLE_DEFAULTS: RoleDefaults = {
  threshold: 0.85,
  costLimitUsd: 0.2,
  timeoutMs: 30 * MINUTE_MS,
};
