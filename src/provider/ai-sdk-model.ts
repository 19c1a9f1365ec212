/**
 * One adapter over the AI SDK's provider packages for Anthropic, OpenAI (chat completions) and OpenAI-compatible
 * servers. Each call streams (or, with `stream: false`, waits for one JSON answer), always with
 * `maxOutputTokens`, the caller's abort signal and no retries but ours (`retry.ts`), and is consumed whole before
 * anything is returned, so a failure is never mistaken for an answer. The provider model is called directly
 * (`doStream`, `doGenerate`): the agent loop is ours, so the AI SDK's own loop around a call (`streamText`: steps,
 * tool execution, telemetry, several stream stages a chunk) would only add work to every chunk (issue 21).
 */

import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { ProviderConfig } from '../config/types.js';
import { linkedAbort } from '../util/abort.js';
import { collectGenerated, collectStream } from './collect-call.js';
import { displayUrl } from './connection-failure.js';
import { openAiPromptCacheKey, toSdkPrompt } from './convert-prompt.js';
import type { LanguageModel, ModelRequest, ModelResponse } from './model.js';
import { createSdkModel, resolveSettings } from './sdk-model.js';
import { settleCall } from './settle-call.js';
import { createStallWatchdog, type StallWatchdog } from './stall-watchdog.js';

export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

export interface AiSdkModelOptions {
  provider: ProviderConfig;
  modelId: string;
  /** Where API keys are read from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
  /** Longest silence tolerated on the wire before the call is abandoned as stalled; default 120 s. */
  stallTimeoutMs?: number;
  /** Stream the answer (default) or ask for one JSON response, for servers that stream poorly. */
  stream?: boolean;
}

export function createAiSdkModel(options: AiSdkModelOptions): LanguageModel {
  const { provider, modelId } = options;
  const settings = resolveSettings(provider, modelId, options.env ?? process.env);
  const baseFetch = options.fetch ?? globalThis.fetch;
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const secrets = settings.apiKey === undefined ? [] : [settings.apiKey];
  // One SDK model serves every call (its package imported and the model built once, not per call). Each call's
  // request is sent through that call's watchdog, found by the abort signal the call hands the SDK.
  const watchdogs = new WeakMap<AbortSignal, StallWatchdog>();
  const routedFetch: typeof globalThis.fetch = (input, init) => {
    const watchdog = init?.signal == null ? undefined : watchdogs.get(init.signal);
    if (watchdog === undefined) {
      throw new Error(
        'internal: a model request came without its call’s abort signal; it would go unwatched',
      );
    }
    return watchdog.fetch(input, init);
  };
  let sdkModel: Promise<LanguageModelV4> | undefined;
  const modelOnce = (): Promise<LanguageModelV4> => {
    sdkModel ??= createSdkModel(provider.name, modelId, settings, routedFetch).catch((error: unknown) => {
      sdkModel = undefined; // a failed import is tried again by the next call
      throw error;
    });
    return sdkModel;
  };

  async function generate(request: ModelRequest): Promise<ModelResponse> {
    const call = linkedAbort([request.abortSignal]);
    // The URL the SDK really asked for (its default, an environment's base URL, or ours), for a failure to name.
    let triedUrl = settings.baseUrl;
    const watchdog = createStallWatchdog({
      timeoutMs: stallTimeoutMs,
      fetch: (input, init) => {
        triedUrl = requestUrl(input);
        return baseFetch(input, init);
      },
      onStall: () => call.abort(new Error(`no data for ${stallTimeoutMs} ms`)),
    });
    watchdogs.set(call.signal, watchdog);
    try {
      const anthropic = settings.kind === 'anthropic';
      const { prompt, tools } = toSdkPrompt(request, {
        cacheBreakpoints: anthropic,
        cacheLifetime: anthropic ? request.cacheLifetime?.() : undefined,
      });
      const model = await modelOnce();
      const callOptions: LanguageModelV4CallOptions = {
        prompt,
        ...(tools === undefined ? {} : { tools, toolChoice: { type: 'auto' } }),
        maxOutputTokens: request.maxOutputTokens,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(settings.kind === 'openai'
          ? { providerOptions: { openai: { promptCacheKey: openAiPromptCacheKey(request.metadata) } } }
          : {}),
        abortSignal: call.signal,
      };
      const collected =
        options.stream === false
          ? await collectGenerated(() => model.doGenerate(callOptions))
          : await collectStream(() => model.doStream({ ...callOptions, includeRawChunks: true }));
      return settleCall(collected, {
        provider: provider.name,
        model: modelId,
        secrets,
        ...(triedUrl === undefined ? {} : { url: displayUrl(triedUrl) }),
        stalled: watchdog.stalled,
        stallTimeoutMs,
        callerSignal: request.abortSignal,
      });
    } finally {
      watchdog.dispose();
      // Whatever ended the call (answer, error, stall), nothing of it may stay open and billing.
      call.abort(new Error('model call settled'));
      call.dispose();
    }
  }

  return { provider: provider.name, modelId, generate };
}

function requestUrl(input: Parameters<typeof globalThis.fetch>[0]): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}
