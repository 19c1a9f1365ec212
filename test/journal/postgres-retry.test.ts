/**
 * The retry rules on their own: a lost connection is tried again within the bound; a COMMIT cut off is settled
 * by the write's own check (done if it landed, done again if not, thrown when there is no check); any other
 * failure is thrown at once. The restart test (postgres-restart.test.ts) plays the same against a real server.
 */
import { describe, expect, it } from 'vitest';
import {
  CommitOutcomeUnknown,
  NOT_LANDED,
  type RetryPolicy,
  retryWhileUnreachable,
} from '../../src/journal/postgres-retry.js';

const fast: RetryPolicy = { forMs: 2_000, firstDelayMs: 1, maxDelayMs: 5 };
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

/** A write that fails with the given errors first, then succeeds; counts its attempts. */
function flaky(failures: Error[]): { attempts: () => number; work: () => Promise<string> } {
  let attempts = 0;
  return {
    attempts: () => attempts,
    work: async () => {
      const failure = failures[attempts++];
      if (failure !== undefined) throw failure;
      return 'written';
    },
  };
}

describe('retryWhileUnreachable', () => {
  it('tries again while the database is unreachable, then succeeds', async () => {
    const write = flaky([refused(), refused(), reset()]);
    await expect(retryWhileUnreachable(write.work, fast)).resolves.toBe('written');
    expect(write.attempts()).toBe(4);
  });

  it('throws any other failure at once', async () => {
    const write = flaky([Object.assign(new Error('duplicate key'), { code: '23505' })]);
    await expect(retryWhileUnreachable(write.work, fast)).rejects.toThrow('duplicate key');
    expect(write.attempts()).toBe(1);
  });

  it('gives up when the bound is spent, with the last failure', async () => {
    const write = flaky(Array.from({ length: 1_000 }, refused));
    const started = Date.now();
    await expect(
      retryWhileUnreachable(write.work, { forMs: 100, firstDelayMs: 5, maxDelayMs: 20 }),
    ).rejects.toThrow('ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(write.attempts()).toBeGreaterThan(1);
  });

  it('does not write again a cut-off COMMIT that landed', async () => {
    const write = flaky([new CommitOutcomeUnknown(reset())]);
    const result = await retryWhileUnreachable(write.work, fast, async () => 'found in the database');
    expect(result).toBe('found in the database');
    expect(write.attempts()).toBe(1);
  });

  it('writes again a cut-off COMMIT that did not land', async () => {
    const write = flaky([new CommitOutcomeUnknown(reset())]);
    await expect(retryWhileUnreachable(write.work, fast, async () => NOT_LANDED)).resolves.toBe('written');
    expect(write.attempts()).toBe(2);
  });

  it('throws a cut-off COMMIT it has no way to settle', async () => {
    const write = flaky([new CommitOutcomeUnknown(reset())]);
    await expect(retryWhileUnreachable(write.work, fast)).rejects.toBeInstanceOf(CommitOutcomeUnknown);
    expect(write.attempts()).toBe(1);
  });

  it('waits for the database to answer the check, too', async () => {
    const write = flaky([new CommitOutcomeUnknown(reset())]);
    let checks = 0;
    const landed = async (): Promise<string | typeof NOT_LANDED> => {
      if (++checks < 3) throw refused();
      return NOT_LANDED;
    };
    await expect(retryWhileUnreachable(write.work, fast, landed)).resolves.toBe('written');
    expect(checks).toBe(3);
  });
});
