/**
 * Secrets never reach the journal, logs, reports or prompts in clear (DESIGN §3). A redactor hides, in this
 * order: the values of secret-looking environment variables, of the workspace's `.env` files (`[REDACTED:NAME]`)
 * and of its credential files (`[REDACTED:.npmrc]`, redact-credential-files.ts), then the same values reversed, case-changed, spaced out, hex-, URL- or base64-encoded
 * (`redact-encodings.ts`), known credential shapes, and high-entropy strings (`[REDACTED]`).
 *
 * Cost, measured on Node 22 over 54 MB of node_modules sources: 15–21 ms per MB (so 1 MB well under 50 ms),
 * linear on adversarial input (see the note in test/util/redact.test.ts); cheap enough for every tool output
 * and journal record.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  addSecretLookingValues,
  allowedPathMatcher,
  collectAllowedValues,
  relativePathMatcher,
} from './redact-allow.js';
import { readCredentialValues } from './redact-credential-files.js';
import { findSecretFiles, readDotenvFile } from './redact-dotenv.js';
import { looseMatcher } from './redact-encodings.js';
import { DEFAULT_ENTROPY_THRESHOLD, redactHighEntropy } from './redact-entropy.js';
import { looksSecretName } from './redact-names.js';
import { applyPatternRules, REDACTED } from './redact-patterns.js';

export { looksSecretName } from './redact-names.js';
export { REDACTED, REDACTED_MARKER_PREFIX } from './redact-patterns.js';

export interface Redactor {
  redact(text: string): string;
  /** A copy of a JSON-like value (plain objects, arrays) with every string inside it redacted. */
  redactDeep<T>(value: T): T;
  /** Whether a path (relative to the workspace, `/`-separated) is one the user allowed (`allowPaths`). */
  allowsPath?(relativePath: string): boolean;
  /**
   * Text read from an allowed path (a fixture written during the run): what the rules would hide in it stays
   * readable from now on, as if it had been there when the redactor was built.
   */
  allowFrom?(text: string): void;
}

export interface RedactorOptions {
  /**
   * Environment whose secret-looking variables (names like `*_API_KEY`, `*_TOKEN`, `*SECRET*`) are hidden;
   * `process.env` when omitted, so forgetting it never leaks; pass `{}` for none.
   */
  env?: Record<string, string | undefined>;
  /** A workspace whose `.env`, `.env.*` and `.envrc` files' values, and its credential files' secrets, are hidden. */
  workspace?: string;
  /** Further values to hide (4 characters or more). */
  extraSecrets?: string[];
  /** Bits per character from which a 32+ character base64 run counts as a secret; `Infinity` turns it off. */
  entropyThreshold?: number;
  /**
   * Globs relative to `workspace` whose files are secret-looking on purpose (test fixtures): what the pattern and
   * entropy rules find in them stays readable everywhere, and their `.env` files are not read. Known secret
   * values (environment, `.env` files elsewhere, `extraSecrets`) are hidden even there.
   */
  allowPaths?: string[];
  /**
   * Texts never hidden, wherever they appear: paths phasewise itself chose or was given (the workspace, added
   * when `workspace` is set). A temporary folder's random letters read as a secret to the entropy rule, and a
   * path hidden in a record the engine runs from is a path lost. A kept text holding a known secret is not kept.
   */
  keep?: string[];
}

const MIN_ENV_VALUE_LENGTH = 8;
/** Shorter kept texts (`/`, `/tmp`) would split every text for nothing: nothing that short is hidden anyway. */
const MIN_KEPT_LENGTH = 8;
const MIN_EXTRA_SECRET_LENGTH = 4;
/**
 * Texts up to MEMO_MAX_TEXT_CHARS long have their redaction remembered, up to MEMO_MAX_CHARS characters (texts,
 * their redactions and MEMO_ENTRY_CHARS for each entry) per redactor — one per run — after which the memory
 * starts again. Short texts are remembered too: a model turn redacts about 300 texts (the conversation, the
 * events, the step's record), almost all short and seen before, and each scan runs every rule.
 */
const MEMO_MAX_TEXT_CHARS = 200_000;
const MEMO_MAX_CHARS = 2_000_000;
const MEMO_ENTRY_CHARS = 32;

/** .env values that are configuration, not secrets: flags, numbers, words, plain URLs and paths, host:port. */
const TRIVIAL_VALUES = [
  /^(?:true|false|yes|no|on|off|null|none|undefined)$/i,
  /^[-+]?\d+(?:[.,_]\d+)*$/,
  /^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$/,
  /^[a-z][a-z0-9+.-]*:\/\/[^\s@]*$/i,
  /^\.{0,2}\/\S*$/,
  /^[\w.-]+:\d+$/,
];

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const allowPaths = options.workspace === undefined ? [] : (options.allowPaths ?? []);
  const isAllowed =
    allowPaths.length === 0 ? () => false : allowedPathMatcher(options.workspace!, allowPaths);
  const allowed =
    allowPaths.length === 0
      ? new Set<string>()
      : collectAllowedValues(options.workspace!, allowPaths, isAllowed);
  const allowsPath = allowPaths.length === 0 ? () => false : relativePathMatcher(allowPaths);
  const known = collectKnownValues(options, isAllowed);
  // Reversed, case-changed, spaced-out, hex, URL-encoded and base64 copies of the same values.
  const replaceEncodedForms = looseMatcher(known);
  const threshold = options.entropyThreshold ?? DEFAULT_ENTROPY_THRESHOLD;
  const shapes = (text: string): string => {
    const result = applyPatternRules(text, undefined, allowed);
    return Number.isFinite(threshold) ? redactHighEntropy(result, threshold, allowed) : result;
  };
  const kept = keptTexts(options, (text) => replaceKnownValues(text, known) === text);
  // Known values first, over the whole text; then the shapes, with the text around each kept one scanned on its
  // own, so a kept path never joins a run the rules would hide.
  const aroundKept = (text: string): string => {
    const keep = kept.find((value) => text.includes(value));
    return keep === undefined ? shapes(text) : text.split(keep).map(aroundKept).join(keep);
  };
  const rules = (text: string): string => aroundKept(replaceEncodedForms(replaceKnownValues(text, known)));
  // Fail closed: a text the rules cannot get through (the engine's stack, memory) is hidden whole, never shown
  // unscanned and never allowed to end the run with an internal error.
  const scan = (text: string): string => {
    try {
      return rules(text);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return `${REDACTED} (${text.length} characters that could not be scanned for secrets)`;
    }
  };
  // A conversation is redacted whole before every model call, so the same long texts come back turn after turn;
  // their redaction is remembered (the rules never change, and the memory is forgotten when `allowed` grows).
  const memo = new Map<string, string>();
  let memoChars = 0;
  const redact = (text: string): string => {
    if (text.length === 0) return text;
    if (text.length > MEMO_MAX_TEXT_CHARS) return scan(text);
    const remembered = memo.get(text);
    if (remembered !== undefined) return remembered;
    const result = scan(text);
    const size = MEMO_ENTRY_CHARS + text.length + (result === text ? 0 : result.length);
    if (memoChars + size > MEMO_MAX_CHARS) {
      memo.clear();
      memoChars = 0;
    }
    memo.set(text, result);
    memoChars += size;
    return result;
  };
  return {
    redact,
    redactDeep: <T>(value: T): T => redactValue(value, redact, new WeakMap()) as T,
    allowsPath,
    allowFrom: (text) => {
      if (allowPaths.length === 0) return;
      const before = allowed.size;
      addSecretLookingValues(text, allowed);
      if (allowed.size !== before) {
        memo.clear();
        memoChars = 0;
      }
    },
  };
}

/** The texts the redactor never hides: `keep` and the workspace's paths, less any holding a known secret. */
function keptTexts(options: RedactorOptions, holdsNoSecret: (text: string) => boolean): string[] {
  const texts = new Set(options.keep ?? []);
  if (options.workspace !== undefined) {
    texts.add(resolve(options.workspace));
    try {
      texts.add(realpathSync(options.workspace));
    } catch {
      // A workspace that does not exist yet has only the path it was given.
    }
  }
  // Longest first, so a path is kept whole before a shorter one inside it.
  return [...texts]
    .filter((text) => text.length >= MIN_KEPT_LENGTH && holdsNoSecret(text))
    .sort((a, b) => b.length - a.length);
}

/** Secret value → the marker that replaces it, longest value first so a longer secret is never half-replaced. */
function collectKnownValues(
  options: RedactorOptions,
  isAllowed: (path: string) => boolean,
): Array<[string, string]> {
  const markers = new Map<string, string>();
  const add = (value: string, marker: string) => {
    if (markers.has(value)) return;
    markers.set(value, marker);
    // The same value as it appears inside serialized JSON (quotes, backslashes, newlines escaped).
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value && !markers.has(escaped)) markers.set(escaped, marker);
  };
  // A value pasted with a trailing newline or spaces is used trimmed (the provider clients trim keys), and so
  // appears trimmed in what we see: both forms are hidden.
  const addTrimmed = (value: string, marker: string, minLength: number) => {
    if (value.length >= minLength) add(value, marker);
    const trimmed = value.trim();
    if (trimmed !== value && trimmed.length >= minLength) add(trimmed, marker);
  };
  for (const [name, value] of Object.entries(options.env ?? process.env)) {
    if (value !== undefined && looksSecretName(name)) {
      addTrimmed(value, `[REDACTED:${name}]`, MIN_ENV_VALUE_LENGTH);
    }
  }
  if (options.workspace !== undefined) {
    const files = findSecretFiles(options.workspace, isAllowed);
    for (const file of files.dotenv) {
      for (const entry of readDotenvFile(file)) {
        for (const value of entry.values) {
          if (isDotenvSecret(entry.name, value)) add(value, `[REDACTED:${entry.name}]`);
        }
      }
    }
    for (const { path, kind } of files.credentials) {
      for (const value of readCredentialValues(path, kind)) add(value, `[REDACTED:${kind}]`);
    }
  }
  for (const value of options.extraSecrets ?? []) addTrimmed(value, REDACTED, MIN_EXTRA_SECRET_LENGTH);
  return [...markers.entries()].sort(([a], [b]) => b.length - a.length);
}

function isDotenvSecret(name: string, value: string): boolean {
  if (value.length < MIN_ENV_VALUE_LENGTH) return false;
  return looksSecretName(name) || !TRIVIAL_VALUES.some((pattern) => pattern.test(value));
}

function replaceKnownValues(text: string, known: Array<[string, string]>): string {
  let result = text;
  for (const [value, marker] of known) {
    // `includes` first: a native scan per value is far cheaper than one regex alternation of all of them.
    if (result.includes(value)) result = result.replaceAll(value, marker);
  }
  return result;
}

function redactValue(
  value: unknown,
  redact: (text: string) => string,
  seen: WeakMap<object, unknown>,
): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  const copied = seen.get(value);
  if (copied !== undefined) return copied;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactValue(item, redact, seen));
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = prototype === null ? Object.create(null) : {};
  seen.set(value, copy);
  // Keys are redacted too: a map keyed by file name (a snapshot) can hold a secret in a key.
  for (const [key, item] of Object.entries(value)) copy[redact(key)] = redactValue(item, redact, seen);
  return copy;
}
