/**
 * OpenAI Chat Completions on the wire, shaped like the recorded responses in test/fixtures/wire-captures
 * (openai-stream-tool-calls-usage.sse, openai-stream-text-usage.sse, openai-nonstream-*.json): `data:` chunks with
 * the same fields in the same order, `"usage":null` on every chunk and a final `choices: []` usage chunk when
 * `stream_options.include_usage` is set, then `data: [DONE]`.
 */
import type { FakeAnswer } from './fake-llm-answer.js';
import { argumentPieces, fakeId, textPieces } from './fake-llm-tokens.js';

const finishReasons = { end: 'stop', length: 'length', tool: 'tool_calls' } as const;

export function dataEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function openAiRequestId(seed: string): string {
  return `req_${fakeId('', seed, 32).toLowerCase()}`;
}

function fingerprint(answer: FakeAnswer): string {
  return `fp_${fakeId('', answer.model, 10).toLowerCase()}`;
}

function usageOf(answer: FakeAnswer) {
  const prompt =
    answer.usage.input + answer.usage.cacheRead + answer.usage.cacheWrite5m + answer.usage.cacheWrite1h;
  return {
    prompt_tokens: prompt,
    completion_tokens: answer.usage.output,
    total_tokens: prompt + answer.usage.output,
    prompt_tokens_details: { cached_tokens: answer.usage.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** The non-streaming response body. */
export function openAiCompletion(answer: FakeAnswer): unknown {
  const toolCalls = answer.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.input) },
  }));
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text === '' && toolCalls.length > 0 ? null : answer.text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: finishReasons[answer.stop],
      },
    ],
    usage: usageOf(answer),
    service_tier: 'default',
    system_fingerprint: fingerprint(answer),
  };
}

/** The streaming response: every `data:` chunk, framed, in order, ending with `[DONE]`. */
export function openAiChunks(answer: FakeAnswer, includeUsage: boolean): string[] {
  const head = {
    id: answer.id,
    object: 'chat.completion.chunk',
    created: answer.created,
    model: answer.model,
    service_tier: 'default',
    system_fingerprint: fingerprint(answer),
  };
  const withUsage = includeUsage ? { usage: null } : {};
  const chunk = (delta: unknown, finishReason: string | null = null) =>
    dataEvent({
      ...head,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...withUsage,
    });
  const toolStart = (call: FakeAnswer['toolCalls'][number], index: number) => ({
    index,
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: '' },
  });
  const chunks: string[] = [];
  const first = answer.toolCalls[0];
  if (answer.text !== '' || first === undefined) {
    chunks.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const content of textPieces(answer.text)) chunks.push(chunk({ content }));
  } else {
    chunks.push(
      chunk({ role: 'assistant', content: null, tool_calls: [toolStart(first, 0)], refusal: null }),
    );
  }
  answer.toolCalls.forEach((call, index) => {
    if (index > 0 || answer.text !== '') chunks.push(chunk({ tool_calls: [toolStart(call, index)] }));
    for (const piece of argumentPieces(JSON.stringify(call.input))) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, finishReasons[answer.stop]));
  if (includeUsage) chunks.push(dataEvent({ ...head, choices: [], usage: usageOf(answer) }));
  chunks.push(dataEvent('[DONE]'));
  return chunks;
}

/**
 * The error OpenAI sends inside a 200 stream (`openai`: a bare `{"error": …}` chunk, then the stream ends), or
 * OpenRouter's variant (`openrouter`: the error beside `choices` and a usage block, then `[DONE]`), as in
 * openrouter-stream-midstream-error.sse.
 */
export function openAiStreamError(answer: FakeAnswer, shape: 'openai' | 'openrouter'): string[] {
  if (shape === 'openai') {
    const message = 'The server had an error while processing your request. Sorry about that!';
    return [dataEvent({ error: { message, type: 'server_error', param: null, code: null } })];
  }
  const chunk = {
    id: answer.id,
    provider: 'fake',
    error: { code: 502, message: 'Provider returned error' },
    model: answer.model,
    object: 'chat.completion.chunk',
    created: answer.created,
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }],
    usage: usageOf(answer),
  };
  return [dataEvent(chunk), dataEvent('[DONE]')];
}
