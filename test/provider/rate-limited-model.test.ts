/**
 * A rate-limited model admits each call with its estimated tokens (input estimate + max output) and releases
 * its slot with the tokens really used: the reported usage, a failed call's usage, or the estimate when a
 * failure says nothing; a failed call frees its slot, and an abort while waiting never reaches the model.
 */
import { describe, expect, it } from 'vitest';
import type { ModelRequest, ModelResponse, ModelUsage } from '../../src/provider/index.js';
import {
  type AdmissionStore,
  createRateLimiter,
  type LanguageModel,
  memoryAdmissions,
  withRateLimit,
} from '../../src/provider/index.js';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';

const usage: ModelUsage = { inputNoCache: 30, cacheRead: 100, cacheWrite: 20, output: 7, reasoning: 0 };

function request(abortSignal = new AbortController().signal): ModelRequest {
  return {
    system: 'x'.repeat(400),
    messages: [],
    tools: [],
    maxOutputTokens: 1_000,
    abortSignal,
    metadata: { runId: 'r', phaseId: 'p', attempt: 1, turn: 1 },
  };
}

/** The memory store, with what it was asked. */
function recordingStore(): { store: AdmissionStore; admitted: number[]; released: number[] } {
  const inner = memoryAdmissions();
  const admitted: number[] = [];
  const released: number[] = [];
  return {
    admitted,
    released,
    store: {
      tryAdmit: async (provider, limit, tokens) => {
        const answer = await inner.tryAdmit(provider, limit, tokens);
        if (answer.admitted) admitted.push(tokens);
        return answer;
      },
      release: async (provider, id, tokens) => {
        released.push(tokens);
        await inner.release(provider, id, tokens);
      },
      close: () => inner.close(),
    },
  };
}

function model(generate: (request: ModelRequest) => Promise<ModelResponse>): LanguageModel {
  return { provider: 'vendor', modelId: 'm', generate };
}

const answer: ModelResponse = {
  content: [{ type: 'text', text: 'ok' }],
  usage,
  finishReason: { unified: 'stop', raw: 'stop' },
  modelId: 'm',
};

describe('a rate-limited model', () => {
  it('admits with the estimate and releases with the usage reported', async () => {
    const { store, admitted, released } = recordingStore();
    const limiter = createRateLimiter({ limits: { vendor: { maxConcurrent: 1 } }, store });
    const limited = withRateLimit(
      model(async () => answer),
      limiter,
    );
    await limited.generate(request());
    // 400 characters of system prompt + "[]" twice ≈ 101 tokens, and 1000 of output at most.
    expect(admitted).toEqual([1_101]);
    expect(released).toEqual([157]);
  });

  it('frees the slot of a failed call, with its usage or else its estimate', async () => {
    const { store, released } = recordingStore();
    const limiter = createRateLimiter({ limits: { vendor: { maxConcurrent: 1 } }, store });
    const billed = new ProviderCallError('cut off', {
      provider: 'vendor',
      model: 'm',
      retryable: true,
      usage,
    });
    const failing = [billed, new Error('no answer')];
    const limited = withRateLimit(
      model(async () => {
        throw failing.shift();
      }),
      limiter,
    );
    await expect(limited.generate(request())).rejects.toThrow('cut off');
    await expect(limited.generate(request())).rejects.toThrow('no answer');
    expect(released).toEqual([157, 1_101]);
  });

  it('never calls the model when the caller aborts while it waits', async () => {
    const limiter = createRateLimiter({
      limits: { vendor: { maxConcurrent: 1 } },
      store: memoryAdmissions(),
    });
    let calls = 0;
    let finish: (() => void) | undefined;
    const limited = withRateLimit(
      model(async () => {
        calls += 1;
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        return answer;
      }),
      limiter,
    );
    const first = limited.generate(request());
    const abort = new AbortController();
    const second = limited.generate(request(abort.signal));
    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort(new Error('phase timed out'));
    await expect(second).rejects.toThrow('phase timed out');
    finish?.();
    await first;
    expect(calls).toBe(1);
  });
});
