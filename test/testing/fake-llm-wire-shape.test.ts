/**
 * Byte shape: the fake server's streams and bodies have the event sequence, field names and field order of the
 * recorded real responses in test/fixtures/wire-captures (see its README for where each came from).
 */
import { describe, expect, it } from 'vitest';
import type { FakeLlmScript } from '../../src/testing/index.js';
import { fakeServer, parseSse, post, readCapture, type SseEvent } from './fake-llm-support.js';

/** Field names in order, recursively; arrays by their first element; leaves by type. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (typeof value === 'object') return Object.entries(value).map(([key, child]) => [key, shape(child)]);
  return typeof value;
}

/** Like `shape`, with keys sorted: for captures whose keys were alphabetized when they were re-serialized. */
function sortedShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [sortedShape(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.keys(value)
      .sort()
      .map((key) => [key, sortedShape((value as Record<string, unknown>)[key])]);
  }
  return value === null ? 'null' : typeof value;
}

/** The value at a path of keys and indexes, or undefined. */
function dig(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Event names with runs collapsed (the number of deltas and pings differs from answer to answer). */
function sequence(events: SseEvent[], skip: string[] = []): string[] {
  const names = events.map((event) => event.event ?? 'data').filter((name) => !skip.includes(name));
  return names.filter((name, index) => name !== names[index - 1]);
}

function firstData(
  events: SseEvent[],
  name: string,
  predicate: (data: unknown) => boolean = () => true,
): unknown {
  const found = events.filter((event) => event.event === name).map((event) => JSON.parse(event.data));
  return found.find(predicate);
}

const script: FakeLlmScript = {
  conversations: [
    { name: 'text', match: ['list names'], turns: [{ text: '- Captain\n- Scoop' }] },
    {
      name: 'tool',
      match: ['use the tool'],
      turns: [
        {
          text: "I'll invoke the JSON response tool.",
          toolCalls: [
            { name: 'json', input: { elements: [{ location: 'San Francisco', temperature: 58 }] } },
          ],
        },
      ],
    },
    {
      name: 'multiply',
      match: ['multiply'],
      turns: [{ toolCalls: [{ name: 'multiply', input: { a: 1231, b: 2331 } }] }],
    },
    {
      name: 'overload',
      match: ['overload'],
      turns: [
        {
          text: 'never',
          faults: [
            { fault: { kind: 'status', status: 529 } },
            { fault: { kind: 'status', status: 429, retryAfterSeconds: 16 } },
            { fault: { kind: 'stream-error', afterEvents: 2 } },
            { fault: { kind: 'stream-error', afterEvents: 2, shape: 'openrouter' } },
          ],
        },
      ],
    },
  ],
};

const anthropicHeaders = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };
const openAiHeaders = { authorization: 'Bearer k' };

async function anthropic(server: Awaited<ReturnType<typeof fakeServer>>, prompt: string, stream = true) {
  const body = {
    model: 'claude-sonnet-4-5-20250929',
    max_tokens: 1000,
    stream,
    messages: [{ role: 'user', content: prompt }],
  };
  return post(`${server.anthropicBaseUrl}/messages`, body, anthropicHeaders);
}

async function openai(server: Awaited<ReturnType<typeof fakeServer>>, prompt: string, stream = true) {
  const body = {
    model: 'gpt-4o-mini-2024-07-18',
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
    messages: [{ role: 'user', content: prompt }],
  };
  return post(`${server.openaiBaseUrl}/chat/completions`, body, openAiHeaders);
}

describe('Anthropic wire shape', () => {
  it('streams text like anthropic-stream-text.sse', async () => {
    const server = await fakeServer(script);
    const response = await anthropic(server, 'list names');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const ours = parseSse(response.text);
    const real = parseSse(readCapture('anthropic-stream-text.sse'));
    expect(sequence(ours)).toEqual(sequence(real));
    for (const name of [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]) {
      expect(shape(firstData(ours, name)), name).toEqual(shape(firstData(real, name)));
    }
    expect(ours.find((event) => event.event === 'ping')!.data).toBe(
      real.find((event) => event.event === 'ping')!.data,
    );
    const text = ours
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => JSON.parse(event.data).delta.text);
    expect(text.join('')).toBe('- Captain\n- Scoop');
    expect(response.text.endsWith('\n\n')).toBe(true);
  });

  it('streams text then a tool_use block like anthropic-stream-tool-use.sse', async () => {
    const server = await fakeServer(script);
    const ours = parseSse((await anthropic(server, 'use the tool')).text);
    const real = parseSse(readCapture('anthropic-stream-tool-use.sse'));
    expect(sequence(ours, ['ping'])).toEqual(sequence(real, ['ping']));
    const isTool = (data: unknown) =>
      dig(data, 'content_block', 'type') === 'tool_use' || dig(data, 'delta', 'type') === 'input_json_delta';
    for (const name of ['content_block_start', 'content_block_delta']) {
      expect(shape(firstData(ours, name, isTool)), name).toEqual(shape(firstData(real, name, isTool)));
    }
    const pieces = ours
      .map((event) => JSON.parse(event.data))
      .filter((data) => data.delta?.type === 'input_json_delta');
    expect(pieces[0].delta.partial_json).toBe('');
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(pieces.map((data) => data.delta.partial_json).join(''))).toEqual({
      elements: [{ location: 'San Francisco', temperature: 58 }],
    });
    expect(firstData(ours, 'message_delta')).toMatchObject({
      delta: { stop_reason: 'tool_use', stop_sequence: null },
    });
  });

  it('answers without streaming like anthropic-nonstream-parallel-tool-use.json', async () => {
    const server = await fakeServer(script);
    const ours = JSON.parse((await anthropic(server, 'use the tool', false)).text);
    const real = JSON.parse(readCapture('anthropic-nonstream-parallel-tool-use.json'));
    expect(sortedShape(ours)).toEqual(sortedShape(real));
    expect(ours.content.map((block: { type: string }) => block.type)).toEqual(['text', 'tool_use']);
  });

  it('sends errors like the recorded 529, 429 and in-stream overload', async () => {
    const server = await fakeServer(script);
    const overloaded = await anthropic(server, 'overload');
    expect(overloaded.status).toBe(529);
    expect(JSON.parse(overloaded.text).error).toEqual(
      JSON.parse(readCapture('anthropic-error-529-overloaded.json')).error,
    );
    expect(overloaded.headers.get('x-should-retry')).toBe('true');
    expect(overloaded.headers.get('request-id')).toBe(JSON.parse(overloaded.text).request_id);
    expect(overloaded.headers.get('retry-after')).toBeNull();
    const limited = await anthropic(server, 'overload');
    const real429 = JSON.parse(readCapture('anthropic-error-429-rate-limit.json'));
    expect(shape(JSON.parse(limited.text))).toEqual(shape(real429));
    expect(JSON.parse(limited.text).error).toEqual(real429.error);
    expect(limited.headers.get('retry-after')).toBe('16');
    const streamed = parseSse((await anthropic(server, 'overload')).text);
    expect(streamed.map((event) => event.event)).toEqual(['message_start', 'content_block_start', 'error']);
    const realError = JSON.parse(parseSse(readCapture('anthropic-stream-error-overloaded.sse'))[0]!.data);
    expect(JSON.parse(streamed[2]!.data)).toMatchObject(realError);
  });
});

describe('OpenAI wire shape', () => {
  const chunks = (body: string) =>
    parseSse(body).map((event) => (event.data === '[DONE]' ? '[DONE]' : JSON.parse(event.data)));

  it('streams tool calls like openai-stream-tool-calls-usage.sse', async () => {
    const server = await fakeServer(script);
    const ours = chunks((await openai(server, 'multiply')).text);
    const real = chunks(readCapture('openai-stream-tool-calls-usage.sse'));
    expect(ours.at(-1)).toBe('[DONE]');
    // first chunk (role + tool call start), an argument piece, the finish chunk, the usage chunk
    for (const pick of [
      (list: unknown[]) => list[0],
      (list: unknown[]) => list[1],
      (list: unknown[]) => list.at(-3),
      (list: unknown[]) => list.at(-2),
    ]) {
      expect(shape(pick(ours))).toEqual(shape(pick(real)));
    }
    expect(dig(ours.at(-3), 'choices', 0, 'finish_reason')).toBe('tool_calls');
    const args = ours
      .slice(1, -3)
      .map((chunk) => dig(chunk, 'choices', 0, 'delta', 'tool_calls', 0, 'function', 'arguments'));
    expect(args.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(args.join(''))).toEqual({ a: 1231, b: 2331 });
  });

  it('streams text like openai-stream-text-usage.sse', async () => {
    const server = await fakeServer(script);
    const ours = chunks((await openai(server, 'list names')).text);
    const real = chunks(readCapture('openai-stream-text-usage.sse'));
    for (const pick of [
      (list: unknown[]) => list[0],
      (list: unknown[]) => list[1],
      (list: unknown[]) => list.at(-3),
      (list: unknown[]) => list.at(-2),
    ]) {
      expect(shape(pick(ours))).toEqual(shape(pick(real)));
    }
    expect(ours.at(-1)).toBe('[DONE]');
  });

  it('answers without streaming like openai-nonstream-tool-call.json', async () => {
    const server = await fakeServer(script);
    const ours = JSON.parse((await openai(server, 'multiply', false)).text);
    expect(sortedShape(ours)).toEqual(
      sortedShape(JSON.parse(readCapture('openai-nonstream-tool-call.json'))),
    );
  });

  it('omits usage from chunks unless include_usage is set', async () => {
    const server = await fakeServer(script);
    const body = { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'list names' }] };
    const ours = chunks((await post(`${server.openaiBaseUrl}/chat/completions`, body, openAiHeaders)).text);
    expect(
      ours
        .slice(0, -1)
        .every((chunk) => !('usage' in (chunk as object)) && dig(chunk, 'choices', 'length') === 1),
    ).toBe(true);
  });

  it('sends errors like the recorded 429, and both in-stream error shapes', async () => {
    const server = await fakeServer(script);
    expect((await openai(server, 'overload')).status).toBe(529);
    const limited = await openai(server, 'overload');
    const real = JSON.parse(readCapture('openai-error-429-rate-limit.json'));
    expect(shape(JSON.parse(limited.text))).toEqual(shape(real));
    expect(JSON.parse(limited.text).error).toMatchObject({
      type: real.error.type,
      code: real.error.code,
      param: null,
    });
    const plain = chunks((await openai(server, 'overload')).text);
    expect(plain.at(-1)).toEqual({ error: expect.objectContaining({ type: 'server_error' }) });
    const routed = chunks((await openai(server, 'overload')).text);
    const realRouted = chunks(readCapture('openrouter-stream-midstream-error.sse'));
    expect(routed.at(-1)).toBe('[DONE]');
    expect(Object.keys(routed.at(-2) as object)).toEqual(
      expect.arrayContaining(['error', 'choices', 'usage']),
    );
    expect(shape(dig(routed.at(-2), 'error'))).toEqual(shape(dig(realRouted.at(-2), 'error')));
  });
});
