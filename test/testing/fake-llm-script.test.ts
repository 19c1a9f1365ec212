/** Choosing conversations and turns, recording requests, keys, unexpected requests and unused turns. */
import { APICallError, generateText, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/index.js';
import { startFakeLlmServer } from '../../src/testing/index.js';
import { anthropicModelId, clientKinds, fakeServer, modelFor, post } from './fake-llm-support.js';

const script = {
  conversations: [
    {
      name: 'planner',
      match: ['You are the planner.'],
      turns: [{ text: 'plan turn 1' }, { text: 'plan turn 2' }],
    },
    {
      name: 'reviewer',
      match: ['You are the reviewer.', 'Review'],
      turns: [{ text: 'review turn 1' }],
    },
    { name: 'fallback', match: ['You are'], turns: [{ text: 'fallback turn 1' }] },
  ],
};

/** A conversation that already holds `answers` assistant messages. */
function history(answers: number): ModelMessage[] {
  const messages: ModelMessage[] = [{ role: 'user', content: 'Review the change' }];
  for (let index = 1; index <= answers; index++) {
    messages.push(
      { role: 'assistant', content: `answer ${index}` },
      { role: 'user', content: `more ${index}` },
    );
  }
  return messages;
}

describe.each(clientKinds)('script selection via %s', (kind) => {
  const ask = (server: Awaited<ReturnType<typeof fakeServer>>, system: string, answers = 0) =>
    generateText({
      model: modelFor(kind, server),
      system,
      messages: history(answers),
      maxRetries: 0,
      maxOutputTokens: 50,
    });

  it('picks the conversation by system prompt + first user message and the turn by assistant count', async () => {
    const server = await fakeServer(script);
    // Out of order on purpose: turn 2 of the planner before its turn 1, the reviewer in between.
    expect((await ask(server, 'You are the planner.', 1)).text).toBe('plan turn 2');
    expect((await ask(server, 'You are the reviewer.')).text).toBe('review turn 1');
    expect((await ask(server, 'You are the planner.')).text).toBe('plan turn 1');
    expect((await ask(server, 'You are the tester.')).text).toBe('fallback turn 1');
    expect(server.requests.map((request) => [request.conversation, request.turn])).toEqual([
      ['planner', 2],
      ['reviewer', 1],
      ['planner', 1],
      ['fallback', 1],
    ]);
    server.assertAllUsed();
    expect(server.unexpected).toEqual([]);
  });

  it('answers a request nothing matches with a 500 and lists it as unexpected', async () => {
    const server = await fakeServer(script);
    const error = await ask(server, 'Nobody scripted this.').catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(500);
    expect((error as APICallError).message).toMatch(/no conversation matches/);
    expect(server.unexpected).toHaveLength(1);
    expect(server.unexpected[0]).toMatch(/no conversation matches .*Nobody scripted this/);
  });

  it('answers a turn past the end of the conversation as unexpected', async () => {
    const server = await fakeServer(script);
    await expect(ask(server, 'You are the reviewer.', 1)).rejects.toThrow(
      /has 1 turn\(s\); turn 2 was asked for/,
    );
    expect(server.unexpected[0]).toMatch(/conversation "reviewer" has 1 turn\(s\); turn 2/);
    expect(server.requests[0]).toMatchObject({ conversation: 'reviewer', turn: 2, fault: 'unexpected' });
  });

  it('records every request with its parsed body and the key redacted', async () => {
    const server = await fakeServer(script);
    await ask(server, 'You are the reviewer.');
    const [request] = server.requests;
    expect(request!.api).toBe(kind === 'anthropic' ? 'anthropic' : 'openai');
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(kind === 'anthropic' ? '/v1/messages' : '/v1/chat/completions');
    expect(request!.headers[kind === 'anthropic' ? 'x-api-key' : 'authorization']).toBe('<redacted>');
    expect(JSON.stringify(request!.headers)).not.toContain('test-');
    expect(request!.body).toMatchObject({ max_tokens: 50 });
    expect(typeof request!.at).toBe('number');
  });
});

describe('keys, endpoints and the script itself', () => {
  it('answers a request without a key 401 with the real error body', async () => {
    const server = await fakeServer(script);
    const anthropic = await post(`${server.anthropicBaseUrl}/messages`, {
      model: anthropicModelId,
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(anthropic.status).toBe(401);
    expect(anthropic.headers.get('request-id')).toMatch(/^req_011C/);
    expect(JSON.parse(anthropic.text)).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
      request_id: anthropic.headers.get('request-id'),
    });
    const openai = await post(`${server.openaiBaseUrl}/chat/completions`, { model: 'gpt-4o', messages: [] });
    expect(openai.status).toBe(401);
    expect(JSON.parse(openai.text).error).toMatchObject({
      type: 'invalid_request_error',
      code: null,
      param: null,
    });
    expect(JSON.parse(openai.text).error.message).toMatch(/^You didn't provide an API key/);
    expect(server.requests.map((request) => request.fault)).toEqual(['missing api key', 'missing api key']);
  });

  it('refuses a wrong key when the server has one', async () => {
    const server = await fakeServer(script, { apiKey: 'the-right-key' });
    const error = await generateText({
      model: modelFor('anthropic', server),
      system: 'You are the planner.',
      prompt: 'x',
      maxRetries: 0,
      maxOutputTokens: 10,
    }).then(
      () => expect.unreachable('the call succeeded'),
      (caught: unknown) => caught as APICallError,
    );
    expect(error.statusCode).toBe(401);
    expect(error.message).toBe('invalid x-api-key');
  });

  it('answers unknown endpoints and bodies that are not requests as unexpected', async () => {
    const server = await fakeServer(script);
    expect((await post(`${server.url}/v1/embeddings`, {})).status).toBe(404);
    const invalid = await post(
      `${server.openaiBaseUrl}/chat/completions`,
      { model: 'gpt-4o' },
      { authorization: 'Bearer k' },
    );
    expect(invalid.status).toBe(400);
    expect(server.unexpected).toEqual([
      'POST /v1/embeddings: not an endpoint of the fake LLM server',
      'POST /v1/chat/completions: invalid request body: messages: Field required',
    ]);
  });

  it('refuses what the real Anthropic API refuses: no anthropic-version, more than 4 cache breakpoints', async () => {
    const server = await fakeServer(script);
    const url = `${server.anthropicBaseUrl}/messages`;
    const marked = { type: 'text', text: 'x', cache_control: { type: 'ephemeral' } };
    const body = {
      model: anthropicModelId,
      max_tokens: 10,
      system: [marked, marked, marked],
      messages: [{ role: 'user', content: [marked, marked] }],
    };
    const noVersion = await post(url, body, { 'x-api-key': 'k' });
    expect(noVersion.status).toBe(400);
    expect(JSON.parse(noVersion.text).error).toEqual({
      type: 'invalid_request_error',
      message: 'anthropic-version: header is required',
    });
    const tooMany = await post(url, body, { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' });
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text).error.message).toBe(
      'A maximum of 4 blocks with cache_control may be provided. Found 5.',
    );
    expect(server.requests.map((request) => request.fault)).toEqual(['invalid request', 'invalid request']);
  });

  it('assertAllUsed lists the turns never answered', async () => {
    const server = await fakeServer(script);
    await generateText({
      model: modelFor('openai', server),
      system: 'You are the planner.',
      prompt: 'go',
      maxRetries: 0,
      maxOutputTokens: 10,
    });
    expect(() => server.assertAllUsed()).toThrow(
      [
        'fake LLM server: 3 scripted turn(s) never answered:',
        '  conversation "planner" turn 2 (never requested)',
        '  conversation "reviewer" turn 1 (never requested)',
        '  conversation "fallback" turn 1 (never requested)',
      ].join('\n'),
    );
  });

  it('rejects an invalid script up front, naming the path', async () => {
    const invalid = {
      conversations: [
        { name: 'x', match: [], turns: [{ faults: [{ fault: { kind: 'status', status: 418 } }] }] },
      ],
    };
    await expect(startFakeLlmServer({ script: invalid as never })).rejects.toThrow(UsageError);
    await expect(startFakeLlmServer({ script: invalid as never })).rejects.toThrow(
      /conversations\.0\.turns\.0\.faults\.0\.fault/,
    );
  });

  it('listens on the port it is given', async () => {
    const probe = await fakeServer(script);
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const server = await fakeServer(script, {});
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const fixed = await startFakeLlmServer({ script, port });
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
      expect(fixed.anthropicBaseUrl).toBe(`http://127.0.0.1:${port}/v1`);
      expect(fixed.openaiBaseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    } finally {
      await fixed.close();
    }
  });
});
