/** A model with no price: the closest known names first, the advice to add a price only when none is close. */
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src/config/types.js';
import { UsageError } from '../../src/errors/index.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import { closestModels, unpricedModel } from '../../src/provider/unpriced-model.js';

const anthropic: ProviderConfig = { name: 'anthropic', kind: 'anthropic', pricing: {} };
const local: ProviderConfig = {
  name: 'local',
  kind: 'openai-compatible',
  baseUrl: 'http://127.0.0.1:11434/v1',
  pricing: { 'llama-small': { input: 0.1, output: 0.2 } },
};
const table = [
  'claude-haiku-4-5',
  'claude-sonnet-4-5',
  'claude-opus-4-5',
  'claude-opus-4-1',
  'gpt-5',
  'gpt-5-mini',
];

describe('closestModels', () => {
  it.each([
    ['claude-sonet-4-5', ['claude-sonnet-4-5']],
    ['claude-sonnet-4.5', ['claude-sonnet-4-5']],
    ['Claude-Sonnet-4-5', ['claude-sonnet-4-5']],
    ['claude-opus-4', ['claude-opus-4-1', 'claude-opus-4-5']],
    ['claude-sonet-4-5-20250929', ['claude-sonnet-4-5-20250929']],
    ['gpt-5-mimi', ['gpt-5-mini']],
    ['qwen-small', []],
    ['sonnet', []],
  ])('%s → %j', (typed, expected) => {
    expect(closestModels(typed, table)).toEqual(expected);
  });
});

describe('unpricedModel', () => {
  it('suggests the closest known model first', () => {
    expect(unpricedModel(anthropic, 'claude-sonet-4-5')).toEqual({
      message: 'no price is known for anthropic:claude-sonet-4-5: did you mean claude-sonnet-4-5?',
      hint: 'a model phasewise does not know yet needs a price: models.providers.anthropic.pricing["claude-sonet-4-5"]: { input: <USD/Mtok>, output: <USD/Mtok> }',
    });
  });

  it("knows the provider's own priced models", () => {
    expect(unpricedModel(local, 'llama-smal')?.message).toBe(
      'no price is known for local:llama-smal: did you mean llama-small?',
    );
  });

  it('advises adding a price when nothing is close', () => {
    expect(unpricedModel(local, 'qwen-small')).toEqual({
      message: 'no price is known for local:qwen-small, so its budget cannot be enforced',
      hint: 'add models.providers.local.pricing["qwen-small"]: { input: <USD/Mtok>, output: <USD/Mtok> }',
    });
  });

  it('finds nothing wrong with a priced model, a dated snapshot of one, or a scripted provider', () => {
    expect(unpricedModel(anthropic, 'claude-sonnet-4-5')).toBeUndefined();
    expect(unpricedModel(anthropic, 'claude-sonnet-4-5-20250929')).toBeUndefined();
    expect(unpricedModel(local, 'llama-small')).toBeUndefined();
    expect(unpricedModel({ name: 's', kind: 'scripted', pricing: {} }, 'anything')).toBeUndefined();
  });

  it('is what the resolver refuses a model with', () => {
    const resolve = createModelResolver({
      providers: { anthropic },
      factories: {
        anthropic: () => ({ provider: 'anthropic', modelId: 'x', generate: () => Promise.reject() }),
      },
    });
    expect(() => resolve('anthropic:claude-sonet-4-5')).toThrow(UsageError);
    expect(() => resolve('anthropic:claude-sonet-4-5')).toThrow('did you mean claude-sonnet-4-5?');
  });
});
