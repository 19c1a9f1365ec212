/**
 * What a report cites: workspace paths (`src/auth.js`, `src/auth.js:42`, `[x](lib/a.ts#L3)`) and, in inline
 * code, symbols (`parseToken`, `Session.refresh()`, `MAX_RETRIES`). Pure text work; `check-grounding.ts` looks
 * them up.
 *
 * Where they are looked for: inline code spans, and prose for tokens that contain a `/` and end in an extension
 * (a bare `Node.js` is a name, not a file). Fenced code blocks are quoted code, whose relative imports are not
 * workspace paths, so they are skipped — except ```json blocks, where a review's findings name their files.
 *
 * A citation is marked `introduced` when it appears in a block (list item, table row, paragraph) whose prose
 * speaks of creating something ("`src/tokens.js` (new)", "add `issueTokens`"): a plan names files and
 * functions that do not exist yet, and the grounding check may excuse those.
 */
export interface PathCitation {
  kind: 'path';
  /** As written, for messages. */
  text: string;
  path: string;
  line?: number;
  introduced?: true;
}

export interface SymbolCitation {
  kind: 'symbol';
  text: string;
  /** The identifiers it is made of (`Session.refresh()` → Session, refresh); each must occur in the workspace. */
  parts: string[];
  introduced?: true;
}

export type Citation = PathCitation | SymbolCitation;

/** Extensions a backticked name without a `/` must end in to count as a file (`package.json`, `auth.ts`). */
const FILE_EXTENSIONS = new Set(
  (
    'js mjs cjs jsx ts mts cts tsx json jsonc md mdx txt yaml yml toml ini cfg conf env lock html htm css scss ' +
    'sass less vue svelte astro py pyi rb go rs java kt kts scala swift c h cc cpp cxx hpp cs fs php pl sh bash ' +
    'zsh fish ps1 bat sql graphql gql proto xml svg csv tsv gradle properties dockerfile tf hcl ex exs erl hs ' +
    'ml clj dart lua r jl nim zig sol wasm ipynb rst adoc tex'
  ).split(' '),
);

const LINE_SUFFIX = /(?::(\d+)(?:[-–]\d+)?(?::\d+)?|#L(\d+)(?:-L?\d+)?)$/;
const PATH_BODY = /^(?:\.{1,2}\/|\/)?[\w@+~.-][\w@.+~-]*(?:\/[\w@.+~-]+)*\/?$/;
const DOMAIN = /^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|app|co|gov|edu|sh|me|info)$/i;
const IDENTIFIER = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#|->)[A-Za-z_$][\w$]*)*(?:\(\))?$/;

/** Words that say a block is about something to be made, not something that exists. */
const CREATION =
  /\b(?:new|creat(?:e|es|ed|ing)|add(?:s|ed|ing)?|introduc(?:e|es|ed|ing)|extract(?:s|ed|ing)?|will|planned|proposed|renam(?:e|es|ed|ing))\b/i;

export function extractCitations(report: string, options: { symbols: boolean }): Citation[] {
  const citations = new Map<string, Citation>();
  const add = (citation: Citation | undefined, introduced: boolean) => {
    if (citation === undefined) return;
    const key = citation.kind === 'path' ? `p:${citation.path}:${citation.line ?? ''}` : `s:${citation.text}`;
    const known = citations.get(key) ?? citation;
    if (introduced) known.introduced = true;
    citations.set(key, known);
  };
  for (const block of blocks(scannableLines(report))) {
    const parts = block.flatMap(splitCodeSpans);
    const introduced = CREATION.test(
      parts
        .filter((part) => !part.code)
        .map((part) => part.text)
        .join(' '),
    );
    for (const { text, code } of parts) {
      if (code) add(fromCodeSpan(text, options.symbols), introduced);
      else for (const token of text.split(/[\s()<>[\]{}"'`,;|*]+/)) add(fromProseToken(token), introduced);
    }
  }
  return [...citations.values()];
}

/** The report's lines outside fenced code, plus the lines of JSON blocks. */
function scannableLines(report: string): string[] {
  const lines: string[] = [];
  let fence: { marker: string; keep: boolean } | undefined;
  for (const line of report.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence === undefined && marker?.[1] !== undefined) {
      fence = { marker: marker[1], keep: marker[2]?.toLowerCase() === 'json' };
      lines.push('');
    } else if (fence !== undefined && closesFence(line, fence.marker)) {
      fence = undefined;
      lines.push('');
    } else if (fence === undefined || fence.keep) {
      lines.push(fence?.keep ? line.replaceAll('`', '') : line);
    }
  }
  return lines;
}

/** Paragraphs, list items (with their continuation lines), table rows and headings, each on its own. */
function blocks(lines: string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    const starts = /^\s*(?:[-*+]\s|\d+[.)]\s|\||#)/.test(line);
    if ((line.trim() === '' || starts) && current.length > 0) {
      result.push(current);
      current = [];
    }
    if (line.trim() !== '') current.push(line);
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** Prose and inline code spans of one line, in order. */
function splitCodeSpans(line: string): Array<{ text: string; code: boolean }> {
  const parts: Array<{ text: string; code: boolean }> = [];
  line.split(/(`+)([^`]+?)\1/).forEach((piece, index) => {
    // split() with two groups yields [text, ticks, code, text, ticks, code, ...].
    if (index % 3 === 0) parts.push({ text: piece, code: false });
    else if (index % 3 === 2) parts.push({ text: piece.trim(), code: true });
  });
  return parts;
}

function closesFence(line: string, opening: string): boolean {
  const closing = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(line)?.[1];
  return closing !== undefined && closing[0] === opening[0] && closing.length >= opening.length;
}

function fromCodeSpan(text: string, symbols: boolean): Citation | undefined {
  if (text.includes('://')) return undefined;
  const path = asPath(text, false);
  if (path !== undefined) return path;
  if (!symbols || !IDENTIFIER.test(text) || !looksLikeCode(text)) return undefined;
  const parts = text
    .replace(/\(\)$/, '')
    .split(/\.|::|#|->/)
    .filter((part) => part !== '');
  return { kind: 'symbol', text, parts: [...new Set(parts)] };
}

/** `parseToken`, `MAX_RETRIES`, `a.b`, `run()` are code; `fetch`, `README`, `true` could be plain words. */
function looksLikeCode(text: string): boolean {
  return /[a-z][A-Z]|_|\.|::|#|->|\(\)$/.test(text.replace(/^_+/, '')) || /^[A-Z][a-z0-9]+[A-Z]/.test(text);
}

function isFileLike(body: string, extension: string): boolean {
  return body.includes('/') || FILE_EXTENSIONS.has(extension);
}

/** `src/routes/`, `./lib`; not `/login` (a route more often than a directory) nor `async/await`. */
function isDirectoryLike(body: string): boolean {
  return /^\.{1,2}\/./.test(body) || (/[^/]\/$/.test(body) && !body.startsWith('/'));
}

function fromProseToken(token: string): PathCitation | undefined {
  const trimmed = token.replace(/^[^\w./@~-]+/, '').replace(/[.:,;!?]+$/, '');
  if (!trimmed.includes('/') || trimmed.includes('://')) return undefined;
  return asPath(trimmed, true);
}

/**
 * Prose tokens must have a `/` and an extension. In code spans, a file has a `/` or a known extension, and a
 * path without an extension must look like a directory (`src/routes/`, `./lib`): `async/await` is not one.
 */
function asPath(text: string, fromProse: boolean): PathCitation | undefined {
  const suffix = LINE_SUFFIX.exec(text);
  const body = suffix === null ? text : text.slice(0, suffix.index);
  if (!PATH_BODY.test(body) || !/[A-Za-z]/.test(body)) return undefined;
  const segments = body.split('/').filter((segment) => segment !== '' && segment !== '.');
  const first = segments[0] ?? '';
  if (DOMAIN.test(first) || segments.length === 0) return undefined;
  const last = segments[segments.length - 1] ?? '';
  const extension = /\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)$/.exec(last)?.[1]?.toLowerCase();
  if (
    !(extension === undefined
      ? !fromProse && isDirectoryLike(body)
      : fromProse || isFileLike(body, extension))
  ) {
    return undefined;
  }
  const line = Number(suffix?.[1] ?? suffix?.[2] ?? Number.NaN);
  return { kind: 'path', text, path: body, ...(Number.isInteger(line) && line > 0 ? { line } : {}) };
}
