/**
 * The fake LLM server through the real clients (`ai` + @ai-sdk/anthropic, @ai-sdk/openai `.chat()`,
 * @ai-sdk/openai-compatible): text, split tool-call arguments, usage and finish reasons, JSON and streaming.
 */
import { generateText, isStepCount, jsonSchema, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import type { FakeLlmScript } from '../../src/testing/index.js';
import { clientKinds, fakeServer, modelFor, readFileTool } from './fake-llm-support.js';

const script: FakeLlmScript = {
  conversations: [
    {
      name: 'greeting',
      match: ['You are terse.', 'Say hello'],
      turns: [{ text: 'Hello there, nice to meet you today.' }],
    },
    {
      name: 'reader',
      match: ['Read the config'],
      turns: [
        {
          text: 'Reading it now.',
          toolCalls: [
            { id: 'call_fixed_1', name: 'read_file', input: { path: 'src/config/load.ts', lines: [1, 40] } },
          ],
        },
      ],
    },
    {
      name: 'scripted-usage',
      match: ['Count tokens'],
      turns: [{ text: 'Counted.', usage: { input: 1234, output: 56 } }],
    },
    { name: 'cut', match: ['Run long'], turns: [{ text: 'word '.repeat(200), stop: 'length' }] },
  ],
};

describe.each(clientKinds)('fake LLM server via %s', (kind) => {
  it('answers text with generateText and the same text with streamText', async () => {
    const server = await fakeServer(script);
    const model = modelFor(kind, server);
    const request = {
      model,
      system: 'You are terse.',
      prompt: 'Say hello',
      maxRetries: 0,
      maxOutputTokens: 200,
    };
    const generated = await generateText(request);
    expect(generated.text).toBe('Hello there, nice to meet you today.');
    expect(generated.finishReason).toBe('stop');
    const streamed = streamText(request);
    const deltas: string[] = [];
    for await (const delta of streamed.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('Hello there, nice to meet you today.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(await streamed.finishReason).toBe('stop');
    expect(server.unexpected).toEqual([]);
  });

  it('streams a tool call whose arguments arrive in several deltas', async () => {
    const server = await fakeServer(script);
    const result = streamText({
      model: modelFor(kind, server),
      prompt: 'Read the config',
      tools: readFileTool,
      maxRetries: 0,
      maxOutputTokens: 200,
    });
    const argumentDeltas: string[] = [];
    for await (const part of result.fullStream)
      if (part.type === 'tool-input-delta') argumentDeltas.push(part.delta);
    expect(argumentDeltas.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(argumentDeltas.join(''))).toEqual({ path: 'src/config/load.ts', lines: [1, 40] });
    const [call] = await result.toolCalls;
    expect(call).toMatchObject({
      toolCallId: 'call_fixed_1',
      toolName: 'read_file',
      input: { path: 'src/config/load.ts', lines: [1, 40] },
    });
    expect(await result.text).toBe('Reading it now.');
    expect(await result.finishReason).toBe('tool-calls');
  });

  it('answers a tool call without streaming', async () => {
    const server = await fakeServer(script);
    const result = await generateText({
      model: modelFor(kind, server),
      prompt: 'Read the config',
      tools: readFileTool,
      maxRetries: 0,
      maxOutputTokens: 200,
    });
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({
      toolName: 'read_file',
      input: { path: 'src/config/load.ts' },
    });
    expect(result.finishReason).toBe('tool-calls');
  });

  it('serves each step of a tool loop from the next turn of the conversation', async () => {
    const server = await fakeServer({
      conversations: [
        {
          name: 'loop',
          match: ['Count the files'],
          turns: [
            { toolCalls: [{ name: 'count', input: { dir: 'src' } }] },
            { text: 'Now the tests.', toolCalls: [{ name: 'count', input: { dir: 'test' } }] },
            { text: 'src has 3 files, test has 3 files.' },
          ],
        },
      ],
    });
    const count = tool({
      inputSchema: jsonSchema<{ dir: string }>({ type: 'object', properties: { dir: { type: 'string' } } }),
      execute: async ({ dir }) => `${dir}: 3 files`,
    });
    const result = streamText({
      model: modelFor(kind, server),
      prompt: 'Count the files',
      tools: { count },
      stopWhen: isStepCount(5),
      maxRetries: 0,
      maxOutputTokens: 200,
    });
    expect(await result.text).toBe('src has 3 files, test has 3 files.');
    expect((await result.steps).length).toBe(3);
    expect(server.requests.map((request) => request.turn)).toEqual([1, 2, 3]);
    expect(JSON.stringify(server.requests[2]!.body)).toContain('test: 3 files');
    server.assertAllUsed();
  });

  it('reports scripted usage exactly, streamed and not', async () => {
    const server = await fakeServer(script);
    const request = {
      model: modelFor(kind, server),
      prompt: 'Count tokens',
      maxRetries: 0,
      maxOutputTokens: 200,
    };
    const generated = await generateText(request);
    const streamed = streamText(request);
    for (const usage of [generated.usage, await streamed.usage]) {
      expect(usage.inputTokens).toBe(1234);
      expect(usage.inputTokenDetails.noCacheTokens).toBe(1234);
      expect(usage.inputTokenDetails.cacheReadTokens).toBe(0);
      expect(usage.outputTokens).toBe(56);
      expect(usage.totalTokens).toBe(1290);
    }
  });

  it('estimates usage from the sizes of request and answer when none is scripted', async () => {
    const server = await fakeServer(script);
    const system = 'You are terse.';
    const result = await generateText({
      model: modelFor(kind, server),
      system,
      prompt: 'Say hello',
      maxRetries: 0,
      maxOutputTokens: 200,
    });
    expect(result.usage.outputTokens).toBe(Math.ceil('Hello there, nice to meet you today.'.length / 4));
    expect(result.usage.inputTokens).toBeGreaterThan(Math.ceil((system.length + 'Say hello'.length) / 4) - 1);
  });

  it('reports a scripted length stop, and cuts an answer longer than maxOutputTokens', async () => {
    const server = await fakeServer(script);
    const scripted = await generateText({
      model: modelFor(kind, server),
      prompt: 'Run long',
      maxRetries: 0,
      maxOutputTokens: 1000,
    });
    expect(scripted.finishReason).toBe('length');
    const capped = streamText({
      model: modelFor(kind, server),
      prompt: 'Run long',
      maxRetries: 0,
      maxOutputTokens: 10,
    });
    expect(await capped.finishReason).toBe('length');
    expect((await capped.usage).outputTokens).toBe(10);
    expect((await capped.text).length).toBe(40);
  });
});

describe('the fake server’s own time with a request', () => {
  it('is recorded once the answer is sent, and spans the scripted pauses between stream events', async () => {
    const server = await fakeServer({
      conversations: [
        { name: 'slow', match: ['Take your time'], turns: [{ text: 'one two three', delayMs: 40 }] },
      ],
    });
    const streamed = streamText({
      model: modelFor('anthropic', server),
      prompt: 'Take your time',
      maxRetries: 0,
    });
    const chunks: string[] = [];
    for await (const delta of streamed.textStream) chunks.push(delta);
    expect(chunks.join('')).toBe('one two three');
    const [request] = server.requests;
    // Several events, each after a 40 ms pause.
    expect(request!.servedMs).toBeGreaterThanOrEqual(80);
    expect(request!.servedMs).toBeLessThan(10_000);
  });
});
