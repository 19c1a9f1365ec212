/**
 * Both directions of the entropy check's "reads as a name" rules, drawn by fast-check: paths and identifiers
 * made of word-like pieces stay readable whatever their entropy, and random tokens (base62, base64 and base64url
 * of random bytes) are never taken for one. Known key shapes and the entropy check's own rate are checked too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/util/redact.js';
import { redactHighEntropy } from '../../src/util/redact-entropy.js';
import { looksLikePath, readsAsWords } from '../../src/util/redact-readable.js';

const SEED = 20_261_205;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `worktree`, `Numbers`, `r1`, `py3`, `k8s`, `2026`: what directories and identifiers are made of. */
const piece = fc.oneof(
  fc.stringMatching(/^[a-z]{2,12}$/),
  fc.stringMatching(/^[A-Z][a-z]{2,10}$/),
  fc.stringMatching(/^[a-z]{1,3}[0-9]{1,2}$/),
  fc.stringMatching(/^[a-z][0-9][a-z]$/),
  fc.stringMatching(/^[0-9]{1,4}$/),
);
const segment = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.constantFrom('-', '_', '.'))
  .map(([pieces, separator]) => pieces.join(separator));
const wordPath = fc
  .tuple(fc.boolean(), fc.array(segment, { minLength: 3, maxLength: 10 }))
  .map(([absolute, segments]) => `${absolute ? '/' : ''}${segments.join('/')}`)
  .filter((path) => path.length >= 32);
const identifier = fc
  .tuple(fc.array(piece, { minLength: 5, maxLength: 12 }), fc.constantFrom('-', '_'))
  .map(([pieces, separator]) => pieces.join(separator))
  .filter((name) => name.length >= 32);

const bytes = fc.uint8Array({ minLength: 24, maxLength: 64 });
const randomTokens = fc.oneof(
  bytes.map((value) => Buffer.from(value).toString('base64')),
  bytes.map((value) => Buffer.from(value).toString('base64url')),
  fc.array(fc.constantFrom(...BASE62), { minLength: 32, maxLength: 64 }).map((chars) => chars.join('')),
);

describe('strings that read as names', () => {
  it('keeps paths of word-like segments readable, in a sentence and alone', () => {
    fc.assert(
      fc.property(wordPath, (path) => {
        const text = `workspace ${path} does not exist`;
        expect(redactHighEntropy(text)).toBe(text);
        expect(redactHighEntropy(path)).toBe(path);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it('keeps identifiers of word-like pieces readable', () => {
    fc.assert(
      fc.property(identifier, (name) => {
        expect(redactHighEntropy(name)).toBe(name);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it('keeps the path that once broke `run --workspace` readable', () => {
    for (const path of [
      '/tmp/pw-eval-x1/runs/add-numbers/all-top/r1/worktree',
      '/out/v2-node-py3/numbers-numbers-q7/pw-x1/build-my-eval/numbers-node',
      '/build-k8s-go/src-eval/bug/r1-py3/top-fix-tmp',
    ]) {
      expect(redactHighEntropy(path)).toBe(path);
    }
  });
});

describe('random tokens', () => {
  it('are never read as a path or as words', () => {
    fc.assert(
      fc.property(randomTokens, (token) => {
        expect(readsAsWords(token)).toBe(false);
        expect(looksLikePath(token)).toBe(false);
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('are hidden at the entropy check’s rate: base64 of random bytes and 40+ character base62', () => {
    const samples = fc.sample(randomTokens, { seed: SEED, numRuns: 3_000 });
    const long = samples.filter((token) => token.length >= 40);
    const hidden = long.filter((token) => redactHighEntropy(`key ${token} end`) === 'key [REDACTED] end');
    expect(long.length).toBeGreaterThan(1_500);
    expect(hidden.length / long.length).toBeGreaterThanOrEqual(0.995);
  });

  it('with a known key prefix are hidden whatever their body', () => {
    const redactor = createRedactor({ env: {} });
    const body = fc
      .array(fc.constantFrom(...BASE62), { minLength: 40, maxLength: 48 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(
        body,
        fc.constantFrom('sk-ant-api03-', 'ghp_', 'sk_live_', 'github_pat_', 'hf_'),
        (tail, prefix) => {
          expect(redactor.redact(`use ${prefix}${tail} now`)).toBe('use [REDACTED] now');
        },
      ),
      { seed: SEED, numRuns: 1_000 },
    );
  });
});
