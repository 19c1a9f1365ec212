/** One scripted turn turned into an API-neutral answer, which the Anthropic and OpenAI encoders put on the wire. */
import type { FakeApi } from './fake-llm-request.js';
import type { FakeTurn } from './fake-llm-script.js';
import { estimateOutputTokens, fakeId } from './fake-llm-tokens.js';

export interface PromptUsage {
  /** Input tokens neither read from nor written to the cache. */
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export interface FakeAnswer {
  /** Message id (`msg_…` / `chatcmpl-…`). */
  id: string;
  model: string;
  /** Seconds since the epoch (OpenAI `created`). */
  created: number;
  text: string;
  toolCalls: Array<{ id: string; name: string; input: unknown }>;
  stop: 'end' | 'length' | 'tool';
  usage: PromptUsage & { output: number };
  /** For request ids and error events. */
  seed: string;
}

export interface AnswerContext {
  api: FakeApi;
  model: string;
  /** Stable per conversation and turn: tool call ids do not change when a turn is retried. */
  turnSeed: string;
  /** Unique per request. */
  requestSeed: string;
  now: number;
  prompt: PromptUsage;
  /** The request's output cap: a longer answer is cut there and reported as stopped by length. */
  maxTokens: number | undefined;
}

export function buildAnswer(turn: FakeTurn, context: AnswerContext): FakeAnswer {
  const toolCalls = (turn.toolCalls ?? []).map((call, index) => ({
    id:
      call.id ??
      (context.api === 'anthropic'
        ? fakeId('toolu_01', `${context.turnSeed}#tool${index}`, 22)
        : fakeId('call_', `${context.turnSeed}#tool${index}`)),
    name: call.name,
    input: call.input ?? {},
  }));
  let text = turn.text ?? '';
  let stop: FakeAnswer['stop'] = turn.stop === 'length' ? 'length' : toolCalls.length > 0 ? 'tool' : 'end';
  let output = turn.usage?.output ?? estimateOutputTokens(text, turn.toolCalls ?? []);
  if (context.maxTokens !== undefined && output > context.maxTokens) {
    // Like the real APIs: generation stops at the cap, so the text is cut and no tool call is complete.
    [output, stop, text] = [context.maxTokens, 'length', text.slice(0, context.maxTokens * 4)];
    toolCalls.length = 0;
  }
  const prompt =
    turn.usage?.input === undefined
      ? context.prompt
      : { input: turn.usage.input, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
  return {
    id:
      context.api === 'anthropic'
        ? fakeId('msg_01', context.requestSeed, 22)
        : fakeId('chatcmpl-', context.requestSeed, 29),
    model: context.model,
    created: Math.floor(context.now / 1000),
    text,
    toolCalls,
    stop,
    usage: { ...prompt, output },
    seed: context.requestSeed,
  };
}
