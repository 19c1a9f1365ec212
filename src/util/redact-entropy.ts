/**
 * High-entropy strings: credentials of no known shape (AWS secret keys, random API tokens). A candidate is a run
 * of at least 32 base64/base64url characters whose Shannon entropy reaches the threshold and that does not read
 * as an identifier, a path or a well-known id (redact-readable.ts).
 *
 * Calibration (20 000 samples each): hex never exceeds 4 bits per character, so git SHAs, hashes and UUIDs
 * (≤ 4.1 with dashes) stay readable; random base64 of 40 characters measures ≥ 4.35 in 999 of 1000 cases. Long
 * identifiers reach 4.3 too (`Experimental_SpeechTranslationModelV4Usage`), but split into words of 3.7–6.8
 * characters on average, where random base64 splits into words of 1.85 (above 3.5 for fewer than 1 in 1000).
 * Over 3 000 random 40-character strings, one slips through; over 54 MB of node_modules sources, what is hidden
 * is secret-shaped (keys in docs and tests, base64 blobs), never code.
 */
import { REDACTED } from './redact-patterns.js';
import { API_ID, looksLikePath, readsAsIdentifier, readsAsWords } from './redact-readable.js';

export const DEFAULT_ENTROPY_THRESHOLD = 4.3;
const MIN_LENGTH = 32;

/**
 * Candidates are the maximal runs of base64/base64url characters (with up to two `=` of padding), found by a
 * plain loop: a regex with an unbounded quantifier exhausts V8's stack on a run of millions of characters (a
 * 30 MB inline task did), and this scan is linear whatever the text.
 */
export function* candidateRuns(text: string): Generator<{ start: number; end: number }> {
  let index = 0;
  while (index < text.length) {
    if (!isCandidateChar(text.charCodeAt(index))) {
      index++;
      continue;
    }
    const start = index;
    while (index < text.length && isCandidateChar(text.charCodeAt(index))) index++;
    if (index - start < MIN_LENGTH) continue;
    let end = index;
    while (end < text.length && end - index < 2 && text.charCodeAt(end) === EQUALS) end++;
    yield { start, end };
    index = end;
  }
}

const EQUALS = 0x3d;
function isCandidateChar(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2b || // +
    code === 0x2f || // /
    code === 0x5f || // _
    code === 0x2d // -
  );
}
/** Content digests in lock files (`sha512-…`, go.sum `h1:…`) are high-entropy by nature and not secret. */
const DIGEST_INSIDE = /^(?:sha(?:1|224|256|384|512)|md5)-/i;
const DIGEST_BEFORE = /(?:sha(?:1|224|256|384|512)[-:]|md5[-:]|h1:)$/i;
/** The path of a URL after its host (`mozilla.org/docs/Web/API/…`): the run starts at the top-level domain. */
const URL_HOST_BEFORE = /[A-Za-z0-9-]\.$/;
const URL_PATH_START = /^[a-z]{2,12}\//;
const NOTHING_ALLOWED: ReadonlySet<string> = new Set();

export function shannonEntropy(text: string): number {
  const counts = new Map<number, number>();
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const share = count / text.length;
    entropy -= share * Math.log2(share);
  }
  return entropy;
}

export function looksHighEntropySecret(candidate: string, threshold = DEFAULT_ENTROPY_THRESHOLD): boolean {
  const body = candidate.replace(/=+$/, '');
  if (body.length < MIN_LENGTH || DIGEST_INSIDE.test(body) || API_ID.test(body)) return false;
  if (!/[A-Za-z]/.test(body)) return false;
  if (shannonEntropy(body) < threshold) return false;
  return !readsAsIdentifier(body) && !looksLikePath(body) && !readsAsWords(body);
}

export function redactHighEntropy(
  text: string,
  threshold = DEFAULT_ENTROPY_THRESHOLD,
  allowed: ReadonlySet<string> = NOTHING_ALLOWED,
): string {
  const pieces: string[] = [];
  let copied = 0;
  for (const { start, end } of candidateRuns(text)) {
    const match = text.slice(start, end);
    if (allowed.has(match) || !looksHighEntropySecret(match, threshold)) continue;
    const before = text.slice(Math.max(0, start - 7), start);
    if (DIGEST_BEFORE.test(before)) continue;
    if (URL_HOST_BEFORE.test(before) && URL_PATH_START.test(match)) continue;
    pieces.push(text.slice(copied, start), REDACTED);
    copied = end;
  }
  if (copied === 0) return text;
  pieces.push(text.slice(copied));
  return pieces.join('');
}
