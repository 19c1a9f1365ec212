/**
 * What the adapter sends: the conversation converted for each wire protocol, Anthropic cache breakpoints on
 * the system prompt, the first and the last message, the output cap always, the key only in its auth header — and what it
 * refuses to send: a call without the key it needs.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../src/errors/errors.js';
import { createAiSdkModel } from '../../src/provider/ai-sdk-model.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import type { ModelMessage } from '../../src/provider/model.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import { failure, modelFor, providerConfig, request, TEST_KEY, toolsNamed } from './support/models.js';
import { capture, type ReplayServer, startReplayServer } from './support/replay-server.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());
afterEach(() => {
  vi.restoreAllMocks();
});

/** A tool loop two turns in: the model called two tools, one of which failed. */
const conversation: ModelMessage[] = [
  { role: 'user', content: 'Find the config.' },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Looking.' },
      { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'glob', input: { pattern: '**/*.yaml' } },
      { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'read', input: { path: 'missing.txt' } },
    ],
  },
  {
    role: 'tool',
    content: [
      {
        type: 'tool-result',
        toolCallId: 'toolu_1',
        toolName: 'glob',
        output: 'phasewise.yaml',
        isError: false,
      },
      { type: 'tool-result', toolCallId: 'toolu_2', toolName: 'read', output: 'no such file', isError: true },
    ],
  },
];

const ephemeral = { type: 'ephemeral' };

describe('the Anthropic request', () => {
  it('marks the system prompt, the first and the last message for caching, and sets max_tokens', async () => {
    server.enqueue(capture('anthropic-stream-text.sse'));
    await modelFor('anthropic', server.origin).generate(
      request({
        system: 'You are the research agent.',
        messages: conversation,
        tools: toolsNamed('glob', 'read'),
        maxOutputTokens: 1234,
        temperature: 0,
      }),
    );
    const sent = server.requests[0];
    expect(sent?.path).toBe('/v1/messages');
    const body = sent?.body as Record<string, unknown>;
    expect(body).toMatchObject({ max_tokens: 1234, temperature: 0, stream: true });
    expect(body.system).toEqual([
      { type: 'text', text: 'You are the research agent.', cache_control: ephemeral },
    ]);
    expect(body.messages).toEqual([
      // The opening text every attempt of a phase shares is its own cached prefix (phase/prompt.ts).
      {
        role: 'user',
        content: [{ type: 'text', text: 'Find the config.', cache_control: ephemeral }],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'glob', input: { pattern: '**/*.yaml' } },
          { type: 'tool_use', id: 'toolu_2', name: 'read', input: { path: 'missing.txt' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'phasewise.yaml' },
          // The breakpoint sits on the last block of the last message: the whole conversation is the cached prefix.
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            content: 'no such file',
            is_error: true,
            cache_control: ephemeral,
          },
        ],
      },
    ]);
    expect((body.tools as Array<Record<string, unknown>>).map((tool) => tool.name)).toEqual(['glob', 'read']);
    expect(JSON.stringify(body.tools)).not.toContain('execute');
  });

  it("sends the shared opening text and the attempt's own as two blocks of one turn, a breakpoint after each", async () => {
    server.enqueue(capture('anthropic-stream-text.sse'));
    await modelFor('anthropic', server.origin).generate(
      request({
        system: 'You are the implementation agent.',
        messages: [
          { role: 'user', content: 'The task and the handoffs.' },
          { role: 'user', content: 'The workspace, your work item, the feedback.' },
        ],
        tools: toolsNamed('read'),
      }),
    );
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'The task and the handoffs.', cache_control: ephemeral },
          { type: 'text', text: 'The workspace, your work item, the feedback.', cache_control: ephemeral },
        ],
      },
    ]);
  });

  it("gives every breakpoint the request's cache lifetime when it asks for an hour, and Anthropic's default otherwise", async () => {
    const lifetimes = [undefined, '5m', '1h'] as const;
    for (const cacheLifetime of lifetimes) {
      server.enqueue(capture('anthropic-stream-text.sse'));
      await modelFor('anthropic', server.origin).generate(
        request({
          system: 'You are the research agent.',
          messages: conversation,
          ...(cacheLifetime === undefined ? {} : { cacheLifetime: () => cacheLifetime }),
        }),
      );
    }
    const markers = server.requests.map((sent) =>
      [...sent.rawBody.matchAll(/"cache_control":(\{[^}]*\})/g)].map((match) => match[1]),
    );
    expect(markers).toEqual([
      Array(3).fill('{"type":"ephemeral"}'),
      Array(3).fill('{"type":"ephemeral"}'),
      Array(3).fill('{"type":"ephemeral","ttl":"1h"}'),
    ]);
  });

  it('moves the conversation breakpoint to whatever message is last, and leaves out temperature unless given', async () => {
    server.enqueue(capture('anthropic-stream-text.sse'));
    await modelFor('anthropic', server.origin).generate(
      request({ messages: [{ role: 'user', content: 'hi' }] }),
    );
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: ephemeral }] },
    ]);
    expect(body).not.toHaveProperty('temperature');
    expect(body.max_tokens).toBe(256);
  });

  it('drops empty text from assistant turns (Anthropic refuses empty text blocks)', async () => {
    server.enqueue(capture('anthropic-stream-text.sse'));
    await modelFor('anthropic', server.origin).generate(
      request({
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: '' },
              { type: 'tool-call', toolCallId: 'toolu_9', toolName: 'list', input: {} },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'toolu_9',
                toolName: 'list',
                output: 'a.ts',
                isError: false,
              },
            ],
          },
        ],
        tools: toolsNamed('list'),
      }),
    );
    const messages = (server.requests[0]!.body as { messages: Array<{ content: unknown[] }> }).messages;
    expect(messages[1]?.content).toEqual([{ type: 'tool_use', id: 'toolu_9', name: 'list', input: {} }]);
  });

  it('sends the key in x-api-key only: never in the body, the URL, or an error', async () => {
    server.enqueue(capture('anthropic-stream-text.sse'), capture('anthropic-error-400-prompt-too-long.json'));
    const model = modelFor('anthropic', server.origin);
    await model.generate(request());
    const error = await failure(model.generate(request()));
    for (const sent of server.requests) {
      expect(sent.headers['x-api-key']).toBe(TEST_KEY);
      expect(sent.rawBody).not.toContain(TEST_KEY);
      expect(sent.path).not.toContain(TEST_KEY);
    }
    expect(`${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).not.toContain(TEST_KEY);
  });
});

describe('the OpenAI request', () => {
  it('converts tool calls and results to chat messages, with no cache markers', async () => {
    server.enqueue(capture('openai-stream-text-usage.sse'));
    await modelFor('openai', server.origin).generate(
      request({
        system: 'Be brief.',
        messages: conversation,
        tools: toolsNamed('glob', 'read'),
        maxOutputTokens: 99,
      }),
    );
    const sent = server.requests[0];
    expect(sent?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    const body = sent?.body as Record<string, unknown>;
    expect(body.max_tokens).toBe(99);
    expect(sent?.rawBody).not.toContain('cache_control');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Find the config.' },
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'glob', arguments: '{"pattern":"**/*.yaml"}' },
          },
          {
            id: 'toolu_2',
            type: 'function',
            function: { name: 'read', arguments: '{"path":"missing.txt"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'phasewise.yaml' },
      // Chat completions has no is_error flag; the SDK marks a failed tool's output in its content instead.
      { role: 'tool', tool_call_id: 'toolu_2', content: '{"error":"no such file"}' },
    ]);
  });

  it('names its prompt cache by run and phase: every attempt and review round of a phase shares one key', async () => {
    const keys: unknown[] = [];
    for (const phaseId of ['implementation', 'implementation@2', 'review']) {
      server.enqueue(capture('openai-stream-text-usage.sse'));
      await modelFor('openai', server.origin).generate(
        request({ metadata: { runId: 'run-7', phaseId, attempt: 1, turn: 1 } }),
      );
      const body = server.requests.at(-1)!.body as Record<string, unknown>;
      keys.push(body.prompt_cache_key);
      // OpenAI's default retention is kept: 24 hours, or in memory for a Zero Data Retention organization.
      expect(body).not.toHaveProperty('prompt_cache_retention');
    }
    expect(keys).toEqual([
      'phasewise:run-7:implementation',
      'phasewise:run-7:implementation',
      'phasewise:run-7:review',
    ]);
  });

  it('sends no prompt_cache_key to an OpenAI-compatible server, which may refuse fields it does not know', async () => {
    server.enqueue(capture('openai-stream-text-usage.sse'));
    await modelFor('openai-compatible', server.origin).generate(request());
    expect(server.requests[0]?.rawBody).not.toContain('prompt_cache_key');
  });
});

describe('credentials and base URLs', () => {
  const missingKey = (provider: Parameters<typeof createAiSdkModel>[0]['provider']) => {
    try {
      createAiSdkModel({ provider, modelId: 'm', env: {} });
    } catch (error) {
      return error;
    }
    throw new Error('expected a missing-key error');
  };

  it.each([
    [providerConfig('anthropic', 'http://x'), 'ANTHROPIC_API_KEY'],
    [providerConfig('openai', 'http://x'), 'OPENAI_API_KEY'],
    [providerConfig('anthropic', 'http://x', { apiKeyEnv: 'WORK_ANTHROPIC_KEY' }), 'WORK_ANTHROPIC_KEY'],
    [
      providerConfig('openai-compatible', 'http://x', { apiKeyEnv: 'OPENROUTER_API_KEY' }),
      'OPENROUTER_API_KEY',
    ],
  ])('a missing key names the variable to set (%#)', (provider, variable) => {
    const error = missingKey(provider);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: false, provider: provider.name });
    expect((error as Error).message).toContain(`set the environment variable ${variable}`);
  });

  it('an empty key counts as missing', () => {
    expect(() =>
      createAiSdkModel({
        provider: providerConfig('openai', 'http://x'),
        modelId: 'm',
        env: { OPENAI_API_KEY: ' ' },
      }),
    ).toThrow(/OPENAI_API_KEY/);
  });

  it('an OpenAI-compatible server needs a base URL but no key', () => {
    const provider = providerConfig('openai-compatible', 'http://x', { name: 'ollama', baseUrl: undefined });
    expect(() => createAiSdkModel({ provider, modelId: 'm', env: {} })).toThrow(/ollama.*base URL/);
  });

  it('the factories fail at resolution time, through createModelResolver, naming the variable', () => {
    const resolve = createModelResolver({
      providers: {
        anthropic: { ...providerConfig('anthropic', server.origin), pricing: { m: { input: 1, output: 1 } } },
      },
      factories: providerModelFactories({ env: {} }),
    });
    expect(() => resolve('anthropic:m')).toThrow(/ANTHROPIC_API_KEY/);
  });

  it('the factories serve each kind, retrying through one layer', async () => {
    const factories = providerModelFactories({
      env: { OPENAI_API_KEY: TEST_KEY },
      retry: { sleep: async () => {} },
    });
    expect(Object.keys(factories).sort()).toEqual(['anthropic', 'openai', 'openai-compatible']);
    server.enqueue(capture('openai-error-429-rate-limit.json'), capture('openai-stream-text-usage.sse'));
    const model = factories.openai?.(providerConfig('openai', server.origin), 'gpt-test');
    const response = await model?.generate(request());
    expect(response?.finishReason.unified).toBe('stop');
    expect(server.requests).toHaveLength(2);
  });
});

describe('quiet on the console', () => {
  it('prints nothing, not even on failure (the SDK would print the error with the request body)', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    server.enqueue(capture('anthropic-stream-error-overloaded.sse'), capture('anthropic-stream-text.sse'));
    const model = modelFor('anthropic', server.origin);
    await failure(model.generate(request()));
    await model.generate(request({ temperature: 0.2 }));
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
