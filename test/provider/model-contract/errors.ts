/**
 * Failures classified the one way the retry layer and the run act on: a 429, 529 or 5xx is a retryable
 * ProviderError whose reason says which (each retry is told it as it begins), and so is a refused connection; a 400
 * or 401 is a permanent one that is never tried again; no failure shows the key.
 */
import { expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import type { ModelRetry } from '../../../src/provider/model.js';
import { retryReason } from '../../../src/provider/retry-reason.js';
import {
  type ContractLimits,
  type ContractSubject,
  type FailureStatus,
  contractRequest as request,
  type SubjectFactory,
  titled,
  using,
} from './subject.js';

const transient: Array<[FailureStatus, (provider: string) => string]> = [
  [429, (provider) => `rate limited by ${provider} (HTTP 429)`],
  [529, (provider) => `${provider} is overloaded (HTTP 529)`],
  [500, (provider) => `${provider} server error (HTTP 500)`],
  [503, (provider) => `${provider} server error (HTTP 503)`],
];
const permanent: FailureStatus[] = [400, 401];
const answer = { text: 'Recovered.' };

async function failing(subject: ContractSubject) {
  const heard: ModelRetry[] = [];
  return using(subject, async (model) => {
    const error = await model
      .generate(request({ onRetry: (retry) => heard.push(retry) }))
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    return { error, heard, provider: model.provider, requests: subject.received().length };
  });
}

function expectNoKey(error: unknown, subject: ContractSubject): void {
  if (subject.apiKey === undefined) return;
  expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
    subject.apiKey,
  );
}

export function describeErrorCases(factory: SubjectFactory, limits: ContractLimits): void {
  const skip = limits.httpErrors !== undefined;
  it.skipIf(skip).each(transient)(
    titled('HTTP %i every time: a retryable ProviderError, each retry told why', limits.httpErrors),
    async (status, reason) => {
      const subject = await factory({ kind: 'failure', status, times: 100, afterwards: answer });
      const { error, heard, provider } = await failing(subject);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ name: 'ProviderCallError', status, retryable: true, provider });
      expect(retryReason(error as ProviderError, provider)).toBe(reason(provider));
      expect(heard.length).toBeGreaterThan(0);
      for (const retry of heard) expect(retry).toMatchObject({ reason: reason(provider), status });
      expectNoKey(error, subject);
    },
  );

  it.skipIf(skip)(
    titled('a 429 once, then the answer: the call succeeds after one retry told in words', limits.httpErrors),
    async () => {
      const subject = await factory({ kind: 'failure', status: 429, times: 1, afterwards: answer });
      const heard: ModelRetry[] = [];
      const { response, provider, requests } = await using(subject, async (model) => ({
        response: await model.generate(request({ onRetry: (retry) => heard.push(retry) })),
        provider: model.provider,
        requests: subject.received().length,
      }));
      expect(response.content).toEqual([{ type: 'text', text: 'Recovered.' }]);
      expect(requests).toBe(2);
      expect(heard).toHaveLength(1);
      expect(heard[0]).toMatchObject({
        try: 1,
        reason: `rate limited by ${provider} (HTTP 429)`,
        status: 429,
      });
    },
  );

  it.skipIf(skip)(
    titled(
      'a refused connection: a retryable ProviderError, each retry told the connection failed',
      limits.httpErrors,
    ),
    async () => {
      const subject = await factory({ kind: 'unreachable' });
      const { error, heard, provider } = await failing(subject);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        name: 'ProviderCallError',
        retryable: true,
        provider,
        status: undefined,
      });
      expect(heard.length).toBeGreaterThan(0);
      for (const retry of heard) expect(retry.reason).toBe(`connection to ${provider} failed (ECONNREFUSED)`);
      expectNoKey(error, subject);
    },
  );

  it.skipIf(skip).each(permanent)(
    titled('HTTP %i: a permanent ProviderError, sent once and never retried', limits.httpErrors),
    async (status) => {
      const subject = await factory({ kind: 'failure', status, times: 100, afterwards: answer });
      const { error, heard, provider, requests } = await failing(subject);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ name: 'ProviderCallError', status, retryable: false, provider });
      expect(heard).toEqual([]);
      expect(requests).toBe(1);
      expectNoKey(error, subject);
    },
  );
}
