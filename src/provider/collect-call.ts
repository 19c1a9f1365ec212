/**
 * Consumes one call of a provider model (the AI SDK's language-model specification: the parts its provider
 * packages stream, or the answer of a non-streaming call) into what happened: the content (text in order, tool
 * calls with parsed input), the finish (reason, usage, provider metadata, the answering model), or the error — and
 * whether any content had streamed before it. It decides nothing; `settle-call.ts` turns this into a response or
 * a failure.
 */
import type {
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import type { ModelUsage, TextPart, ToolCallPart } from './model.js';
import { createPartialUsageTracker, type PartialUsageTracker } from './partial-usage.js';

export interface CollectedFinish {
  unified: LanguageModelV4FinishReason['unified'];
  raw: string | undefined;
  usage: LanguageModelV4Usage | undefined;
  providerMetadata: SharedV4ProviderMetadata | undefined;
  modelId: string | undefined;
}

export interface CollectedCall {
  content: Array<TextPart | ToolCallPart>;
  /** Text, reasoning or tool input had started streaming. */
  afterContent: boolean;
  error?: unknown;
  finish?: CollectedFinish;
  /** The last usage the provider reported on the wire, for a call that failed before the SDK summed it up. */
  partialUsage?: ModelUsage;
}

/**
 * Reads the whole stream; stops at the first error, whether the SDK sends it as a part or the stream throws it
 * (a body cut off mid-read does the latter); what follows an error is no answer. A call refused before its
 * stream began (an HTTP error, no connection) is collected as its error.
 */
export async function collectStream(
  start: () => PromiseLike<LanguageModelV4StreamResult>,
): Promise<CollectedCall> {
  const collected: CollectedCall = { content: [], afterContent: false };
  const usage = createPartialUsageTracker();
  try {
    await readParts((await start()).stream, collected, usage);
  } catch (error) {
    collected.error = error;
  }
  return withPartialUsage(collected, usage.usage());
}

async function readParts(
  parts: ReadableStream<LanguageModelV4StreamPart>,
  collected: CollectedCall,
  usage: PartialUsageTracker,
): Promise<void> {
  const texts = new Map<string, TextPart>();
  let modelId: string | undefined;
  const reader = parts.getReader();
  try {
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      if (readPart(part, collected, usage, texts)) return;
      if (part.type === 'response-metadata' && part.modelId !== undefined) modelId = part.modelId;
    }
    if (collected.finish !== undefined) collected.finish.modelId = modelId;
  } finally {
    // What follows an error is no answer: the rest of the body is dropped, and the connection with it.
    reader.cancel().catch(() => undefined);
  }
}

/** Takes one part in; true when it ends the call (an error). */
function readPart(
  part: LanguageModelV4StreamPart,
  collected: CollectedCall,
  usage: PartialUsageTracker,
  texts: Map<string, TextPart>,
): boolean {
  switch (part.type) {
    case 'raw':
      usage.observe(part.rawValue);
      break;
    case 'text-start': {
      const text: TextPart = { type: 'text', text: '' };
      texts.set(part.id, text);
      collected.content.push(text);
      break;
    }
    case 'text-delta': {
      let text = texts.get(part.id);
      if (text === undefined) {
        text = { type: 'text', text: '' };
        texts.set(part.id, text);
        collected.content.push(text);
      }
      text.text += part.delta;
      collected.afterContent ||= part.delta.length > 0;
      break;
    }
    case 'reasoning-delta':
      collected.afterContent ||= part.delta.length > 0;
      break;
    case 'tool-input-delta':
      collected.afterContent ||= part.delta.length > 0;
      break;
    case 'tool-call':
      collected.content.push(toolCall(part.toolCallId, part.toolName, part.input));
      collected.afterContent = true;
      break;
    case 'finish':
      collected.finish = {
        unified: part.finishReason.unified,
        raw: part.finishReason.raw,
        usage: part.usage,
        providerMetadata: part.providerMetadata,
        modelId: undefined,
      };
      break;
    case 'error':
      collected.error = part.error;
      return true;
    default:
      break;
  }
  return false;
}

/** A non-streaming call: the SDK throws on failure and otherwise hands the whole answer over at once. */
export async function collectGenerated(
  generate: () => PromiseLike<LanguageModelV4GenerateResult>,
): Promise<CollectedCall> {
  let result: Awaited<ReturnType<typeof generate>>;
  try {
    result = await generate();
  } catch (error) {
    return { content: [], afterContent: false, error };
  }
  const content: Array<TextPart | ToolCallPart> = [];
  for (const part of result.content) {
    if (part.type === 'text') content.push({ type: 'text', text: part.text });
    if (part.type === 'tool-call') content.push(toolCall(part.toolCallId, part.toolName, part.input));
  }
  return {
    content,
    afterContent: false,
    finish: {
      unified: result.finishReason.unified,
      raw: result.finishReason.raw,
      usage: result.usage,
      providerMetadata: result.providerMetadata,
      modelId: result.response?.modelId,
    },
  };
}

/** Tool input as an object: an empty argument string (a tool without parameters) is `{}`. */
function toolCall(toolCallId: string, toolName: string, input: unknown): ToolCallPart {
  return { type: 'tool-call', toolCallId, toolName, input: parseInput(input) };
}

export function parseInput(input: unknown): unknown {
  if (typeof input !== 'string') return input ?? {};
  if (input.trim() === '') return {};
  try {
    return JSON.parse(input);
  } catch {
    // Not JSON: hand the text over; the tool's own validation tells the model what was wrong.
    return input;
  }
}

function withPartialUsage(collected: CollectedCall, usage: ModelUsage | undefined): CollectedCall {
  return usage === undefined ? collected : { ...collected, partialUsage: usage };
}
