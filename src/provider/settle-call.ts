/**
 * A collected call → our response, or the failure it really was. An error part, `finishReason: 'error'`, a
 * stream that ended without finishing, a stall: each is a ProviderError, never a success with partial text.
 */
import { classifyError } from './classify-error.js';
import type { CollectedCall } from './collect-call.js';
import type { FinishReason, ModelResponse, UnifiedFinishReason } from './model.js';
import { ProviderCallError } from './provider-call-error.js';
import { hasUsage, normalizeUsage } from './usage.js';

export interface SettleContext {
  provider: string;
  model: string;
  secrets: string[];
  /** The URL the call tried, safe to show. */
  url?: string;
  stalled: boolean;
  stallTimeoutMs: number;
  callerSignal: AbortSignal;
}

export function settleCall(collected: CollectedCall, context: SettleContext): ModelResponse {
  const finishUsage =
    collected.finish === undefined
      ? undefined
      : normalizeUsage(collected.finish.usage, collected.finish.providerMetadata);
  const usage =
    finishUsage !== undefined && hasUsage(finishUsage)
      ? finishUsage
      : (collected.partialUsage ?? finishUsage);
  const failure = { provider: context.provider, model: context.model, afterContent: collected.afterContent };
  const withUsage = usage === undefined || !hasUsage(usage) ? {} : { usage };

  // The caller's reason (phase timeout, Ctrl-C) says why better than whatever the SDK made of the abort; but
  // tokens the provider already counted were billed, so they travel with it for the ledger to charge.
  if (context.callerSignal.aborted) {
    if (!('usage' in withUsage)) throw context.callerSignal.reason;
    const reason = context.callerSignal.reason;
    throw new ProviderCallError(reason instanceof Error ? reason.message : 'aborted', {
      ...failure,
      retryable: false,
      ...withUsage,
    });
  }

  if (context.stalled) {
    throw new ProviderCallError(
      `${context.provider} model ${context.model} stalled: nothing received for ${duration(context.stallTimeoutMs)}`,
      // After content, a retry would pay for the same answer twice: only a stall before content is retried.
      { ...failure, retryable: !collected.afterContent, stalled: true, ...withUsage },
    );
  }
  if (collected.error !== undefined) {
    throw classifyError(collected.error, {
      ...failure,
      secrets: context.secrets,
      url: context.url,
      ...withUsage,
    });
  }
  const finish = collected.finish;
  if (finish === undefined || finish.unified === 'interrupted') {
    throw new ProviderCallError(
      `${context.provider} model ${context.model} ended its stream without finishing${collected.afterContent ? ' (after content had streamed)' : ''}`,
      { ...failure, retryable: !collected.afterContent, ...withUsage },
    );
  }
  // Some providers report an error only as a raw finish reason (OpenAI-style `finish_reason: "error"`, which
  // @ai-sdk/openai maps to `other`); a truncated answer must never pass as a finished one.
  if (finish.unified === 'error' || finish.raw === 'error') {
    throw new ProviderCallError(
      `${context.provider} model ${context.model} finished with an error (finish reason ${finish.raw ?? 'error'})`,
      { ...failure, retryable: false, ...withUsage },
    );
  }
  return {
    content: collected.content.filter((part) => part.type !== 'text' || part.text !== ''),
    usage: finishUsage ?? normalizeUsage(undefined, undefined),
    finishReason: toFinishReason(finish.unified, finish.raw),
    modelId: finish.modelId ?? context.model,
  };
}

function toFinishReason(unified: string, raw: string | undefined): FinishReason {
  const known: UnifiedFinishReason[] = ['stop', 'tool-calls', 'length', 'content-filter', 'error', 'other'];
  return {
    unified: known.includes(unified as UnifiedFinishReason) ? (unified as UnifiedFinishReason) : 'other',
    raw,
  };
}

function duration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
