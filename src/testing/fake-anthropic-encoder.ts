/**
 * Anthropic Messages on the wire, shaped like the recorded responses in test/fixtures/wire-captures
 * (anthropic-stream-text.sse, anthropic-stream-tool-use.sse, anthropic-nonstream-*.json): the same event names,
 * field names and field order, usage in `message_start` and again in `message_delta`.
 */
import type { FakeAnswer } from './fake-llm-answer.js';
import { argumentPieces, fakeId, textPieces } from './fake-llm-tokens.js';

const stopReasons = { end: 'end_turn', length: 'max_tokens', tool: 'tool_use' } as const;

/** `event: <name>` + `data: <json>` + blank line, as Anthropic frames every event. */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function anthropicRequestId(seed: string): string {
  return fakeId('req_011C', seed, 20);
}

function cacheCreation(answer: FakeAnswer) {
  return {
    ephemeral_5m_input_tokens: answer.usage.cacheWrite5m,
    ephemeral_1h_input_tokens: answer.usage.cacheWrite1h,
  };
}

function cacheFields(answer: FakeAnswer) {
  return {
    input_tokens: answer.usage.input,
    cache_creation_input_tokens: answer.usage.cacheWrite5m + answer.usage.cacheWrite1h,
    cache_read_input_tokens: answer.usage.cacheRead,
  };
}

function contentBlocks(answer: FakeAnswer): unknown[] {
  const blocks: unknown[] = [];
  if (answer.text !== '' || answer.toolCalls.length === 0) blocks.push({ type: 'text', text: answer.text });
  for (const call of answer.toolCalls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
  }
  return blocks;
}

/** The non-streaming response body. */
export function anthropicMessage(answer: FakeAnswer): unknown {
  return {
    model: answer.model,
    id: answer.id,
    type: 'message',
    role: 'assistant',
    content: contentBlocks(answer),
    stop_reason: stopReasons[answer.stop],
    stop_sequence: null,
    usage: {
      ...cacheFields(answer),
      cache_creation: cacheCreation(answer),
      output_tokens: answer.usage.output,
      service_tier: 'standard',
    },
  };
}

/** The streaming response: every SSE event, framed, in order. */
export function anthropicEvents(answer: FakeAnswer): string[] {
  return [
    sseEvent('message_start', {
      type: 'message_start',
      message: {
        model: answer.model,
        id: answer.id,
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          ...cacheFields(answer),
          cache_creation: cacheCreation(answer),
          output_tokens: 1,
          service_tier: 'standard',
          inference_geo: 'not_available',
        },
      },
    }),
    ...contentBlockEvents(answer),
    sseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReasons[answer.stop], stop_sequence: null },
      usage: { ...cacheFields(answer), output_tokens: answer.usage.output },
    }),
    sseEvent('message_stop', { type: 'message_stop' }),
  ];
}

/** content_block_start / _delta / _stop for the text block, then each tool_use block (input in 2+ pieces). */
function contentBlockEvents(answer: FakeAnswer): string[] {
  const events: string[] = [];
  let index = 0;
  const start = (block: unknown) =>
    events.push(
      sseEvent('content_block_start', { type: 'content_block_start', index, content_block: block }),
    );
  const delta = (piece: unknown) =>
    events.push(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: piece }));
  const stop = () =>
    events.push(sseEvent('content_block_stop', { type: 'content_block_stop', index: index++ }));
  if (answer.text !== '' || answer.toolCalls.length === 0) {
    start({ type: 'text', text: '' });
    events.push(sseEvent('ping', '{"type": "ping"}'));
    for (const text of textPieces(answer.text)) delta({ type: 'text_delta', text });
    stop();
  }
  for (const call of answer.toolCalls) {
    start({ type: 'tool_use', id: call.id, name: call.name, input: {} });
    for (const partial_json of ['', ...argumentPieces(JSON.stringify(call.input))]) {
      delta({ type: 'input_json_delta', partial_json });
    }
    stop();
  }
  return events;
}

/** The in-stream overload Anthropic sends after a 200 (the shape seen in the wild, with `request_id`). */
export function anthropicStreamError(
  answer: FakeAnswer,
  type: 'overloaded_error' | 'api_error' = 'overloaded_error',
): string {
  return sseEvent('error', {
    type: 'error',
    error: { type, message: type === 'api_error' ? 'Internal server error' : 'Overloaded' },
    request_id: anthropicRequestId(`${answer.seed}#stream-error`),
  });
}
