/**
 * What reads as a name rather than a credential: identifiers (`Experimental_SpeechTranslationModelV4Usage`),
 * paths and URL tails (`/tmp/pw-eval-x1/runs/add-numbers/all-top/r1/worktree`), journal step keys and API ids.
 * The entropy check (redact-entropy.ts) asks these before it hides a high-entropy run of characters.
 *
 * Random tokens do not read this way: base62 has no separators, and a base64/base64url token of 32+ characters
 * holds one or two `/ - _` on average, so it splits into long pieces of mixed case and digits, never into six or
 * more short words and abbreviations (the property test in test/util/redact-readable.test.ts draws both).
 */

/** Mean length of the words a string splits into, from which it reads as an identifier (random: 1.85). */
const IDENTIFIER_WORD_LENGTH = 3.5;
/** Words of camelCase, PascalCase, snake_case and SCREAMING_CASE, and numbers. */
const WORD = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g;
const HEX = /^[0-9a-fA-F]+$/;
const SHORT_NAME = /^(?:[A-Z]?[a-z]{0,3}|[A-Z]{1,4}|\d+)$/;
/** Ids that LLM APIs put in every response and the journal keys on: random, but not secret. */
export const API_ID = /^(?:chatcmpl|cmpl|toolu|srvtoolu|msg|msgbatch|call|req|resp|run|file|batch|fc|rs)[_-]/;

/**
 * One piece of a name between `- _ . /`: a lowercase or capitalised word (`worktree`, `Numbers`), an abbreviation
 * of up to four letters with a version or index (`r1`, `py3`, `x86`, `v12`, `API`), a numeronym (`k8s`, `i18n`)
 * or a number.
 */
const WORD_PIECE = /^(?:[A-Za-z]{1,4}\d{0,4}|[A-Z]?[a-z]{2,24}\d{0,4}|[a-z]\d{1,2}[a-z]|\d{1,8})$/;
const PIECE_SEPARATOR = /[-_./]+/;
/** Fewer pieces could be a short random string that happens to split (`Ab-3x`); a name of 32+ characters has more. */
const MIN_WORD_PIECES = 4;

/** `Experimental_SpeechTranslationModelV4Usage` splits into long words (5.9); random base64 into short ones. */
function meanWordLength(text: string): number {
  const words = text.match(WORD);
  if (words === null) return 0;
  return words.reduce((sum, word) => sum + word.length, 0) / words.length;
}

export function readsAsIdentifier(text: string): boolean {
  return meanWordLength(text) >= IDENTIFIER_WORD_LENGTH;
}

/** `add-numbers/all-top/r1`, `build_x86_64-linux-gnu`: every piece between separators is a word-like piece. */
export function readsAsWords(text: string, minimumPieces = MIN_WORD_PIECES): boolean {
  const pieces = text.split(PIECE_SEPARATOR).filter(Boolean);
  return pieces.length >= minimumPieces && pieces.every((piece) => WORD_PIECE.test(piece));
}

/** A path or URL tail: every segment is a short name (`d`, `Web`, `API`), hex (ids, commit SHAs) or words. */
export function looksLikePath(text: string): boolean {
  const segments = text.split('/');
  if (segments.length < 2) return false;
  return segments.every(readableSegment);
}

/**
 * The parts of a journal step key (`implementation/a1/t3/tool/0-toolu_01…`, `…/model/failed-<uuid>`): an attempt
 * or turn number, and a tool call's id as the provider gave it, after its index. A key names a step and is never
 * hidden; what the step holds is redacted on its own.
 */
const STEP_KEY_PART = /^[a-z]\d{1,6}$/;
const NUMBERED_API_ID = /^\d{1,6}-/;
/** `failed-<uuid>`, `judge-failed-<uuid>`: a failed call's record, keyed apart from the call's own. */
const NAMED_UUID = /^[a-z][a-z-]{0,32}-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;

function readableSegment(part: string): boolean {
  if (SHORT_NAME.test(part) || HEX.test(part) || readsAsIdentifier(part)) return true;
  if (STEP_KEY_PART.test(part) || NAMED_UUID.test(part) || API_ID.test(part.replace(NUMBERED_API_ID, '')))
    return true;
  // Short words and abbreviations joined by `-`, `_` or `.` (`pw-x1`, `top-fix-tmp`, `r1-py3`).
  if (readsAsWords(part, 2)) return true;
  // A name with a short random suffix, as temporary directories get (`phasewise-demo-Ab3xZ9`, `tmp.kX2p9Qa`).
  const pieces = part.split(/[-_.]/).filter(Boolean);
  return (
    pieces.length >= 2 &&
    pieces.every((piece) => piece.length <= 10) &&
    pieces.some((piece) => /^[A-Za-z]{4,}$/.test(piece) && readsAsIdentifier(piece))
  );
}
