/** Real SDK clients pointed at the replay server, and requests to send them. */
import type { ProviderConfig } from '../../../src/config/types.js';
import { type AiSdkModelOptions, createAiSdkModel } from '../../../src/provider/ai-sdk-model.js';
import type { LanguageModel, ModelMessage, ModelRequest, ToolSpec } from '../../../src/provider/model.js';
import type { AiSdkProviderKind } from '../../../src/provider/sdk-model.js';

/** Looks like a key, so a leak would be unmistakable in any text it reached. */
export const TEST_KEY = 'sk-test-DO-NOT-LEAK-4f1c9a7e2b';

export const TEST_ENV = { ANTHROPIC_API_KEY: TEST_KEY, OPENAI_API_KEY: TEST_KEY };

export function providerConfig(
  kind: AiSdkProviderKind,
  origin: string,
  extra: Partial<ProviderConfig> = {},
): ProviderConfig {
  const name = kind === 'openai-compatible' ? 'local' : kind;
  return { name, kind, baseUrl: `${origin}/v1`, pricing: {}, ...extra };
}

export function modelFor(
  kind: AiSdkProviderKind,
  origin: string,
  options: Partial<AiSdkModelOptions> = {},
): LanguageModel {
  return createAiSdkModel({
    provider: providerConfig(kind, origin),
    modelId: 'test-model',
    env: TEST_ENV,
    ...options,
  });
}

export function toolsNamed(...names: string[]): ToolSpec[] {
  return names.map((name) => ({
    name,
    description: `the ${name} tool`,
    inputSchema: { type: 'object', properties: {}, additionalProperties: true },
  }));
}

export function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  const messages: ModelMessage[] = [{ role: 'user', content: 'hello' }];
  return {
    system: 'You are a test.',
    messages,
    tools: [],
    maxOutputTokens: 256,
    abortSignal: new AbortController().signal,
    metadata: { runId: 'run-1', phaseId: 'research', attempt: 1, turn: 1 },
    ...overrides,
  };
}

/** Runs `promise` expecting it to reject; returns what it rejected with. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
