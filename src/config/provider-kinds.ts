/**
 * Every provider kind phasewise knows, in one table: how a phase's attempt runs on its models (its runtime),
 * what builds them, where its API key is read from, and what its configuration must or may say. The configuration's
 * `kind` values, the built-in providers and their key variables, the AI SDK adapter and the composition root's
 * model factories all read it, so a new kind is one entry here (and its tests); a kind that needs a client no
 * entry uses yet adds that client to `provider/sdk-model.ts` too, and a new runtime is `agent/runtime.ts`'s.
 *
 * Plain data that imports nothing: the layers below the CLI read it as they read `types.ts`.
 */

/** How an attempt runs: the agent's tool loop over single model calls, or one Claude Code session. */
export type RuntimeName = 'tool-loop' | 'claude-code';

/** The AI SDK clients the adapter builds (`provider/sdk-model.ts`); `openai` is OpenAI's chat completions. */
export type AiSdkClient = 'anthropic' | 'openai' | 'openai-compatible';

export interface ProviderKindSpec {
  runtime: RuntimeName;
  /** What builds its models: an AI SDK client, the scripted backend, or nothing (a session reaches the model). */
  models: { by: 'ai-sdk'; client: AiSdkClient } | { by: 'scripted' } | { by: 'session' };
  /** The variable its API key is read from when the provider names none; none: it needs no key, or signs in by itself. */
  apiKeyEnv: string | undefined;
  /** A provider of this name exists without being declared. */
  implicit: boolean;
  /** Its configuration must give a `base_url`. */
  requiresBaseUrl: boolean;
  /** Its models cost nothing, so they need no price. */
  free: boolean;
}

export const PROVIDER_KIND_TABLE = {
  anthropic: {
    runtime: 'tool-loop',
    models: { by: 'ai-sdk', client: 'anthropic' },
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    implicit: true,
    requiresBaseUrl: false,
    free: false,
  },
  openai: {
    runtime: 'tool-loop',
    models: { by: 'ai-sdk', client: 'openai' },
    apiKeyEnv: 'OPENAI_API_KEY',
    implicit: true,
    requiresBaseUrl: false,
    free: false,
  },
  // Ollama, vLLM, LM Studio, OpenRouter: a key only when the server asks for one (`api_key_env`).
  'openai-compatible': {
    runtime: 'tool-loop',
    models: { by: 'ai-sdk', client: 'openai-compatible' },
    apiKeyEnv: undefined,
    implicit: false,
    requiresBaseUrl: true,
    free: false,
  },
  // Claude Code signs in by itself (a subscription login, or ANTHROPIC_API_KEY in its environment), unless the
  // provider names an `api_key_env`.
  'claude-code': {
    runtime: 'claude-code',
    models: { by: 'session' },
    apiKeyEnv: undefined,
    implicit: true,
    requiresBaseUrl: false,
    free: false,
  },
  scripted: {
    runtime: 'tool-loop',
    models: { by: 'scripted' },
    apiKeyEnv: undefined,
    implicit: true,
    requiresBaseUrl: false,
    free: true,
  },
} as const satisfies Record<string, ProviderKindSpec>;

export type ProviderKind = keyof typeof PROVIDER_KIND_TABLE;

/** The runtime of each kind, as a type: `RuntimeOfKind<'claude-code'>` is `'claude-code'`. */
export type RuntimeOfKind<K extends ProviderKind> = (typeof PROVIDER_KIND_TABLE)[K]['runtime'];

/** The kinds whose models the AI SDK adapter builds. */
export type AiSdkProviderKind = {
  [K in ProviderKind]: (typeof PROVIDER_KIND_TABLE)[K]['models']['by'] extends 'ai-sdk' ? K : never;
}[ProviderKind];

/** The kinds, in the table's order (the configuration's `kind` values, its schema's enum). */
export const PROVIDER_KIND_NAMES = Object.keys(PROVIDER_KIND_TABLE) as unknown as readonly [
  ProviderKind,
  ...ProviderKind[],
];

/** A kind's entry; undefined for a word that is no kind (a stored workflow of another build, code of a user's). */
export function providerKindSpec(kind: string): ProviderKindSpec | undefined {
  return Object.hasOwn(PROVIDER_KIND_TABLE, kind) ? PROVIDER_KIND_TABLE[kind as ProviderKind] : undefined;
}
