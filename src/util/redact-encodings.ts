/**
 * Known secret values in the forms a command or a model can turn them into: reversed (`rev`), case-changed
 * (`tr a-z A-Z`), spaced out or split by separators (`s-e-c-r-e-t`), hex (either case), URL-encoded, and base64
 * (standard and url-safe, at any alignment: a value inside a longer base64 text). Every form is precomputed once,
 * when the redactor is built, as a "skeleton": lowercased, separators removed. A text is reduced to its skeleton
 * the same way, once per text, and each form is looked for with a native `includes`; only on a hit (rare) is the
 * text walked again to find where the form lies in it.
 *
 * Not covered: encryption, compression, other encodings (base32, rot13), a value cut into pieces shorter than
 * MIN_SKELETON_LENGTH, or a base64 text of the value mixed with other bytes every few characters.
 */

/** Shorter skeletons would match ordinary text by chance. */
const MIN_SKELETON_LENGTH = 8;
/** Characters a copy may be spaced out with; base64's `+ / = - _` too, so std and url-safe share a skeleton. */
const SEPARATOR_RUN = /[\s\-_.,:;|/\\+=*'"`]+/g;
const SEPARATOR = /[\s\-_.,:;|/\\+=*'"`]/;

export type LooseReplace = (text: string) => string;

/** The skeleton of `text`: lowercased, separators removed. */
function skeletonOf(text: string): string {
  return text.toLowerCase().replace(SEPARATOR_RUN, '');
}

/** The base64 characters that depend on `value`'s bytes alone, when it starts at byte offset 0, 1 or 2. */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const last = Math.floor((8 * (offset + bytes.length)) / 6);
    cores.push(encoded.slice(first, last));
  }
  return cores;
}

/** Every form of `value` this module catches, as written (a case-insensitive match covers the case changes). */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const reversed = [...value].reverse().join('');
  const cores = base64Cores(bytes);
  return [
    value,
    reversed,
    // Its own separators changed or dropped: `hunter2 correct horse`, `hunter2correcthorse`.
    ...[' ', '', '_', '-', '.'].map((separator) => value.split(SEPARATOR_RUN).join(separator)),
    bytes.toString('hex'),
    encodeURIComponent(value),
    ...cores,
    ...cores.map((core) => core.replaceAll('+', '-').replaceAll('/', '_')),
  ];
}

const SEPARATOR_CLASS = '[\\s\\-_.,:;|/\\\\+=*\'"`]';
/**
 * Eight or more pieces of one or two letters or digits split by separators (`s e c r e t …`, `73 65 63 …`): the
 * only place a spaced-out copy can hide. Checked first with a regex that stops at the first such run (ordinary
 * text has none), so ordinary text is never reduced to a skeleton.
 */
const SPACED_HINT = new RegExp(`\\b[A-Za-z0-9]{1,2}(?:${SEPARATOR_CLASS}{1,3}[A-Za-z0-9]{1,2}\\b){7}`);
const SPACED_RUN = new RegExp(
  `(?<![A-Za-z0-9])(?:[A-Za-z0-9]{1,2}${SEPARATOR_CLASS}{1,3}){7,65536}[A-Za-z0-9]{1,2}(?![A-Za-z0-9])`,
  'g',
);

/**
 * A replacer for the encoded forms of `known` (value → marker): one case-insensitive regex of literal forms
 * (the fast path, a few ms per MB), then spaced-out runs, whose skeletons are checked against every form's.
 */
export function looseMatcher(known: ReadonlyArray<readonly [string, string]>): LooseReplace {
  const markers = new Map<string, string>();
  const literals = new Set<string>();
  for (const [value, marker] of known) {
    for (const form of encodedForms(value)) {
      const skeleton = skeletonOf(form);
      if (skeleton.length < MIN_SKELETON_LENGTH) continue;
      if (!markers.has(skeleton)) markers.set(skeleton, marker);
      literals.add(form);
    }
  }
  if (literals.size === 0) return (text) => text;
  // Longest first, so a longer form is never half-replaced by a shorter one.
  const forms = new RegExp(
    [...literals]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'gi',
  );
  const skeletons = [...markers.entries()].sort(([a], [b]) => b.length - a.length);
  return (text) => {
    if (text.length < MIN_SKELETON_LENGTH) return text;
    forms.lastIndex = 0;
    let result = forms.test(text)
      ? text.replace(forms, (match) => markers.get(skeletonOf(match)) ?? match)
      : text;
    if (SPACED_HINT.test(result)) {
      result = result.replace(SPACED_RUN, (run) => {
        const skeleton = skeletonOf(run);
        const hits = skeletons.filter(([form]) => skeleton.includes(form));
        return hits.length === 0 ? run : replaceHits(run, hits);
      });
    }
    return result;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The slow path: map the skeleton back to the text and replace each occurrence's span with its marker. */
function replaceHits(text: string, hits: Array<[string, string]>): string {
  let skeleton = '';
  const origin: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (SEPARATOR.test(char)) continue;
    const lower = char.toLowerCase();
    skeleton += lower;
    for (let count = 0; count < lower.length; count++) origin.push(index);
  }
  const spans: Array<{ start: number; end: number; marker: string }> = [];
  const taken = new Uint8Array(skeleton.length);
  for (const [form, marker] of hits) {
    let at = skeleton.indexOf(form);
    while (at !== -1) {
      if (taken[at] === 0 && taken[at + form.length - 1] === 0) {
        taken.fill(1, at, at + form.length);
        spans.push({ start: origin[at]!, end: origin[at + form.length - 1]! + 1, marker });
      }
      at = skeleton.indexOf(form, at + form.length);
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let copied = 0;
  for (const span of spans) {
    if (span.start < copied) continue;
    pieces.push(text.slice(copied, span.start), span.marker);
    copied = span.end;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}
