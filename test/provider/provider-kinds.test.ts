/**
 * The provider-kind table is the one place a kind is declared: the configuration accepts exactly its kinds, the
 * built-in providers and their key variables are its `implicit` entries, a kind that needs a base URL is refused
 * without one, the AI SDK factories serve its `ai-sdk` kinds, and the composition root resolves a model of every
 * kind to the runtime its entry names — read from real configuration files, through the real resolver.
 */
import { describe, expect, it } from 'vitest';
import { createCliModelResolver } from '../../src/cli/models.js';
import {
  PROVIDER_KIND_NAMES,
  PROVIDER_KIND_TABLE,
  type ProviderKind,
} from '../../src/config/provider-kinds.js';
import { RUNTIMES, runtimeFor } from '../../src/phase/runtimes.js';
import { apiKeyEnvOf } from '../../src/provider/api-key-env.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import { issueAt, lines, loadYaml, rejectionOf } from '../config/config-files.js';

/** A model each kind can resolve without a price of the test's own (scripted ones are free). */
const MODEL: Record<ProviderKind, string> = {
  anthropic: 'claude-haiku-4-5',
  openai: 'gpt-5-mini',
  'openai-compatible': 'local-model',
  'claude-code': 'claude-haiku-4-5',
  scripted: 'any-model',
};

function providerOfEachKind(): string {
  return lines(
    'models:',
    '  providers:',
    ...PROVIDER_KIND_NAMES.map((kind) => {
      const fields = [`kind: ${kind}`];
      if (PROVIDER_KIND_TABLE[kind].requiresBaseUrl) fields.push('base_url: "http://127.0.0.1:9/v1"');
      if (PROVIDER_KIND_TABLE[kind].models.by === 'scripted') fields.push('script: ./script.yaml');
      if (kind === 'openai-compatible') fields.push(`pricing: { ${MODEL[kind]}: { input: 1, output: 2 } }`);
      return `    my-${kind}: { ${fields.join(', ')} }`;
    }),
  );
}

describe('the provider-kind table', () => {
  it('is what the configuration accepts as a kind, and a word it does not hold is refused naming them', () => {
    const workflow = loadYaml(providerOfEachKind(), { 'script.yaml': 'phases: {}\n' });
    expect(PROVIDER_KIND_NAMES.map((kind) => workflow.providers[`my-${kind}`]?.kind)).toEqual([
      ...PROVIDER_KIND_NAMES,
    ]);
    const { error } = rejectionOf(lines('models:', '  providers:', '    odd: { kind: carrier-pigeon }'));
    const issue = issueAt(error, 'models.providers.odd.kind');
    for (const kind of PROVIDER_KIND_NAMES) expect(`${issue.message} ${issue.hint}`).toContain(kind);
  });

  it('makes its implicit kinds built-in providers, each reading its key from the variable the table names', () => {
    const workflow = loadYaml(lines('models:', '  haiku: anthropic:claude-haiku-4-5'));
    const implicit = PROVIDER_KIND_NAMES.filter((kind) => PROVIDER_KIND_TABLE[kind].implicit);
    expect(implicit).toEqual(['anthropic', 'openai', 'claude-code', 'scripted']);
    for (const kind of implicit) {
      const provider = workflow.providers[kind]!;
      expect(provider.kind).toBe(kind);
      expect(provider.apiKeyEnv).toBe(PROVIDER_KIND_TABLE[kind].apiKeyEnv);
      expect(apiKeyEnvOf(provider)).toBe(PROVIDER_KIND_TABLE[kind].apiKeyEnv);
    }
    expect(workflow.providers['openai-compatible']).toBeUndefined();
  });

  it('refuses a provider of a kind that needs a base URL when it gives none', () => {
    const needing = PROVIDER_KIND_NAMES.filter((kind) => PROVIDER_KIND_TABLE[kind].requiresBaseUrl);
    expect(needing).toEqual(['openai-compatible']);
    for (const kind of needing) {
      const { error } = rejectionOf(lines('models:', '  providers:', `    local: { kind: ${kind} }`));
      expect(issueAt(error, 'models.providers.local').message).toBe(
        `provider \`local\` (${kind}) needs a \`base_url\``,
      );
    }
  });

  it('gives the AI SDK adapter a factory for exactly its ai-sdk kinds', () => {
    const served = Object.keys(providerModelFactories({ env: {} })).sort();
    const sdkKinds = PROVIDER_KIND_NAMES.filter((kind) => PROVIDER_KIND_TABLE[kind].models.by === 'ai-sdk');
    expect(served).toEqual([...sdkKinds].sort());
    expect(sdkKinds).toEqual(['anthropic', 'openai', 'openai-compatible']);
  });

  it('resolves a model of every kind through the command line to the runtime its entry names', () => {
    const workflow = loadYaml(providerOfEachKind(), { 'script.yaml': 'phases: {}\n' });
    const resolve = createCliModelResolver(workflow, { ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k' });
    const runtimes = PROVIDER_KIND_NAMES.map((kind) => {
      const resolved = resolve(`my-${kind}:${MODEL[kind]}`);
      expect(runtimeFor(resolved)).toBe(RUNTIMES[resolved.runtime]);
      return [kind, resolved.runtime];
    });
    expect(Object.fromEntries(runtimes)).toEqual({
      anthropic: 'tool-loop',
      openai: 'tool-loop',
      'openai-compatible': 'tool-loop',
      'claude-code': 'claude-code',
      scripted: 'tool-loop',
    });
    expect(
      runtimes.every(([kind, runtime]) => PROVIDER_KIND_TABLE[kind as ProviderKind].runtime === runtime),
    ).toBe(true);
  });
});
