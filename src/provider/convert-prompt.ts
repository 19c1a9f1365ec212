/**
 * Our request → the provider model's prompt (the AI SDK's language-model specification, which its provider
 * packages turn into each API's own request). Tools go over as bare JSON Schemas: the agent loop runs them. For
 * Anthropic up to three cache breakpoints are set (of the four allowed): on the system prompt, which caches the
 * role's prefix (tools, then system, in Anthropic's order); on the first message, which caches the opening text
 * every attempt and lane of a phase shares (the task and the handoffs, phase/prompt.ts), so a retry, a review round
 * or another work item on the same model reads it instead of writing it again; and on the last message, which
 * caches the conversation so far — so each turn of a tool loop re-reads everything before its newest message at
 * cache-read price. A breakpoint adds no write of its own: the tokens up to the last one are written once. The
 * cache lifetime asked for sets every breakpoint's (`ttl`); absent, Anthropic's default of five minutes.
 *
 * OpenAI caches every prompt on its own, with no markers; `prompt_cache_key` (`openAiPromptCacheKey`) only routes
 * requests that share a prefix to the same cache, so it names what shares one.
 */
import type {
  JSONSchema7,
  LanguageModelV4FunctionTool,
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  SharedV4ProviderOptions,
} from '@ai-sdk/provider';
import type { CacheLifetime, ModelMessage, ToolSpec } from './model.js';

export const ANTHROPIC_CACHE_BREAKPOINT: SharedV4ProviderOptions = {
  anthropic: { cacheControl: { type: 'ephemeral' } },
};
const ANTHROPIC_ONE_HOUR_BREAKPOINT: SharedV4ProviderOptions = {
  anthropic: { cacheControl: { type: 'ephemeral', ttl: '1h' } },
};

/**
 * OpenAI's `prompt_cache_key`, per run and phase (a phase is one role: its tools, system prompt, task and handoffs
 * are the same for every attempt, review round and work item). Not per workflow: across runs only the tools and the
 * role's prompt are shared (about a thousand tokens, OpenAI's minimum), and one key for every run and role would
 * put more than OpenAI's suggested ~15 requests a minute on one key once runs go side by side, which spreads them
 * over machines and loses the hits the key is for. Run ids and phase ids are never secret.
 */
export function openAiPromptCacheKey(metadata: { runId: string; phaseId: string }): string {
  // `implementation@2` is the same phase in review round 2: the same role, task and handoffs.
  return `phasewise:${metadata.runId}:${metadata.phaseId.split('@')[0]}`;
}

export interface SdkPrompt {
  prompt: LanguageModelV4Prompt;
  tools: LanguageModelV4FunctionTool[] | undefined;
}

export function toSdkPrompt(
  request: { system: string; messages: ModelMessage[]; tools: ToolSpec[] },
  options: { cacheBreakpoints: boolean; cacheLifetime?: CacheLifetime | undefined },
): SdkPrompt {
  const breakpoint =
    options.cacheLifetime === '1h' ? ANTHROPIC_ONE_HOUR_BREAKPOINT : ANTHROPIC_CACHE_BREAKPOINT;
  const marker = options.cacheBreakpoints ? { providerOptions: breakpoint } : {};
  const messages = mergeToolMessages(request.messages.map(toSdkMessage));
  if (options.cacheBreakpoints) {
    for (const index of new Set([0, messages.length - 1])) {
      const message = messages[index];
      if (message !== undefined) messages[index] = { ...message, providerOptions: breakpoint };
    }
  }
  // An empty system block with a cache marker is refused by Anthropic; an empty prompt needs no block.
  const system: LanguageModelV4Message[] =
    request.system === '' ? [] : [{ role: 'system', content: request.system, ...marker }];
  return {
    prompt: [...system, ...messages],
    tools: request.tools.length === 0 ? undefined : request.tools.map(toSdkTool),
  };
}

function toSdkMessage(message: ModelMessage): LanguageModelV4Message {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: [{ type: 'text', text: message.content }] };
    case 'assistant':
      return {
        role: 'assistant',
        // Anthropic refuses empty text blocks; an empty text carries nothing anyway.
        content: message.content
          .filter((part) => part.type !== 'text' || part.text !== '')
          .map((part) =>
            part.type === 'text'
              ? { type: 'text' as const, text: part.text }
              : {
                  type: 'tool-call' as const,
                  toolCallId: part.toolCallId,
                  toolName: part.toolName,
                  input: part.input,
                },
          ),
      };
    case 'tool':
      return {
        role: 'tool',
        content: message.content.map((part) => ({
          type: 'tool-result' as const,
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          output: part.isError
            ? { type: 'error-text' as const, value: part.output }
            : { type: 'text' as const, value: part.output },
        })),
      };
  }
}

/** Tool results in a row are one message of results, as the providers expect them after a turn's calls. */
function mergeToolMessages(messages: LanguageModelV4Message[]): LanguageModelV4Message[] {
  const merged: LanguageModelV4Message[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (message.role === 'tool' && last?.role === 'tool') {
      merged[merged.length - 1] = { role: 'tool', content: [...last.content, ...message.content] };
    } else if (message.role !== 'tool' || message.content.length > 0) {
      merged.push(message);
    }
  }
  return merged;
}

function toSdkTool(spec: ToolSpec): LanguageModelV4FunctionTool {
  return {
    type: 'function',
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema as JSONSchema7,
  };
}
