/**
 * A model whose every call is admitted by a rate limiter first (`rate-limit.ts`). It sits under the retry layer,
 * so each try of a call is a request of its own. The slot is released however the call ends: with the usage
 * reported, with the usage a failed call carries, or, when a failure says nothing, with the estimate (a call
 * that may have been billed is not counted as free).
 */
import { estimateTokens } from '../budget/cost.js';
import type { LanguageModel, ModelRequest, ModelResponse, ModelUsage } from './model.js';
import { ProviderCallError } from './provider-call-error.js';
import type { RateLimiter } from './rate-limit.js';

export function withRateLimit(model: LanguageModel, limiter: RateLimiter): LanguageModel {
  async function generate(request: ModelRequest): Promise<ModelResponse> {
    const estimated = estimatedTokens(request);
    const slot = await limiter.admit({
      provider: model.provider,
      estimatedTokens: estimated,
      abortSignal: request.abortSignal,
    });
    let actualTokens = estimated;
    try {
      const response = await model.generate(request);
      actualTokens = tokensOf(response.usage);
      return response;
    } catch (error) {
      if (error instanceof ProviderCallError && error.usage !== undefined)
        actualTokens = tokensOf(error.usage);
      throw error;
    } finally {
      // A release that fails (the shared store unreachable) leaves the slot to expire; it does not fail the call.
      await slot.release({ actualTokens }).catch(() => {});
    }
  }
  return { provider: model.provider, modelId: model.modelId, generate };
}

/** Estimated input (as the budget estimates it) + the call's max output. */
export function estimatedTokens(request: ModelRequest): number {
  const input = estimateTokens(
    request.system + JSON.stringify(request.messages) + JSON.stringify(request.tools),
  );
  return input + request.maxOutputTokens;
}

function tokensOf(usage: ModelUsage): number {
  return usage.inputNoCache + usage.cacheRead + usage.cacheWrite + usage.output;
}
