import path from 'node:path';
import { DEFAULT_API_KEY_ENV, IMPLICIT_PROVIDER_KINDS } from './defaults.js';
import { ownValue } from './field-path.js';
import { isFile } from './file-reference.js';
import { PROVIDER_KIND_TABLE } from './provider-kinds.js';
import type { ResolveContext } from './resolve-context.js';
import type { RawModels, RawProvider } from './schema.js';
import type { ModelPrice, ProviderConfig, ProviderKind, RateLimitConfig } from './types.js';
import { PROVIDER_KINDS } from './vocabulary.js';

/** The built-in providers, then every declared one (a declaration with a built-in name adjusts it). */
export function resolveProviders(
  raw: RawModels['providers'],
  context: ResolveContext,
): Record<string, ProviderConfig> {
  const providers: Record<string, ProviderConfig> = {};
  for (const [name, kind] of Object.entries(IMPLICIT_PROVIDER_KINDS))
    providers[name] = implicitProvider(name, kind);
  for (const [name, entry] of Object.entries(raw ?? {})) {
    const provider = resolveProvider(name, entry, context);
    if (provider !== undefined) providers[name] = provider;
  }
  return providers;
}

function implicitProvider(name: string, kind: ProviderKind): ProviderConfig {
  const apiKeyEnv = DEFAULT_API_KEY_ENV[kind];
  return { name, kind, ...(apiKeyEnv === undefined ? {} : { apiKeyEnv }), pricing: {} };
}

function resolveProvider(
  name: string,
  entry: RawProvider,
  context: ResolveContext,
): ProviderConfig | undefined {
  const at = ['models', 'providers', name];
  const kind = entry.kind ?? ownValue(IMPLICIT_PROVIDER_KINDS, name);
  if (kind === undefined) {
    context.issues.add(at, `provider \`${name}\` needs a \`kind\``, {
      at: 'key',
      hint: `one of: ${PROVIDER_KINDS.join(', ')}`,
    });
    return undefined;
  }
  if (PROVIDER_KIND_TABLE[kind].requiresBaseUrl && entry.base_url === undefined) {
    context.issues.add(at, `provider \`${name}\` (${kind}) needs a \`base_url\``, {
      at: 'key',
      hint: 'e.g. base_url: http://127.0.0.1:11434/v1 for Ollama',
    });
  }
  const apiKeyEnv = entry.api_key_env ?? DEFAULT_API_KEY_ENV[kind];
  return {
    name,
    kind,
    ...(entry.base_url === undefined ? {} : { baseUrl: entry.base_url }),
    ...(apiKeyEnv === undefined ? {} : { apiKeyEnv }),
    pricing: resolvePricing(entry.pricing),
    ...resolveRateLimit(entry.rate_limit, kind, [...at, 'rate_limit'], context),
    ...scriptedFields(entry, kind, at, context),
  };
}

function resolvePricing(raw: RawProvider['pricing']): Record<string, ModelPrice> {
  const pricing: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(raw ?? {})) {
    pricing[model] = {
      input: price.input,
      output: price.output,
      ...(price.cache_read === undefined ? {} : { cacheRead: price.cache_read }),
      ...(price.cache_write_5m === undefined ? {} : { cacheWrite5m: price.cache_write_5m }),
      ...(price.cache_write_1h === undefined ? {} : { cacheWrite1h: price.cache_write_1h }),
    };
  }
  return pricing;
}

/**
 * `rate_limit: {}` limits nothing, which is surely not what was meant; and a Claude Code session makes its own
 * calls, which phasewise cannot hold back.
 */
function resolveRateLimit(
  raw: RawProvider['rate_limit'],
  kind: ProviderKind,
  at: string[],
  context: ResolveContext,
): Pick<ProviderConfig, 'rateLimit'> {
  if (raw === undefined) return {};
  if (PROVIDER_KIND_TABLE[kind].runtime === 'claude-code') {
    context.issues.add(
      at,
      `\`rate_limit\` does not apply to kind ${kind}: its sessions make their own calls`,
      {
        at: 'key',
        hint: 'remove rate_limit here; Claude Code has its own limits',
      },
    );
    return {};
  }
  const rateLimit: RateLimitConfig = {
    ...(raw.requests_per_minute === undefined ? {} : { requestsPerMinute: raw.requests_per_minute }),
    ...(raw.tokens_per_minute === undefined ? {} : { tokensPerMinute: raw.tokens_per_minute }),
    ...(raw.max_concurrent === undefined ? {} : { maxConcurrent: raw.max_concurrent }),
  };
  if (Object.keys(rateLimit).length === 0) {
    context.issues.add(at, '`rate_limit` sets no limit', {
      at: 'key',
      hint: 'give requests_per_minute, tokens_per_minute or max_concurrent, or remove rate_limit',
    });
    return {};
  }
  return { rateLimit };
}

/** `script`, `latency_ms` and `call_log` only mean something to the scripted provider. */
function scriptedFields(
  entry: RawProvider,
  kind: ProviderKind,
  at: string[],
  context: ResolveContext,
): Pick<ProviderConfig, 'script' | 'latencyMs' | 'callLog'> {
  const given = (['script', 'latency_ms', 'call_log'] as const).filter((key) => entry[key] !== undefined);
  if (PROVIDER_KIND_TABLE[kind].models.by !== 'scripted') {
    for (const key of given)
      context.issues.add([...at, key], `\`${key}\` applies only to kind scripted`, { at: 'key' });
    return {};
  }
  const script = entry.script === undefined ? undefined : path.resolve(context.configDir, entry.script);
  if (script !== undefined && !isFile(script))
    context.issues.add([...at, 'script'], `script file not found: ${script}`);
  return {
    ...(script === undefined ? {} : { script }),
    ...(entry.latency_ms === undefined ? {} : { latencyMs: entry.latency_ms }),
    ...(entry.call_log === undefined ? {} : { callLog: path.resolve(context.configDir, entry.call_log) }),
  };
}
