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
import { type PathCitation, pathCitation } from './path-citation.js';

export type { PathCitation } from './path-citation.js';

export interface SymbolCitation {
  kind: 'symbol';
  text: string;
  /** The identifiers it is made of (`Session.refresh()` → Session, refresh); each must occur in the workspace. */
  parts: string[];
  introduced?: true;
}

export type Citation = PathCitation | SymbolCitation;

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
  const path = pathCitation(text, 'code');
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

function fromProseToken(token: string): PathCitation | undefined {
  const trimmed = token.replace(/^[^\w./@~-]+/, '').replace(/[.:,;!?]+$/, '');
  if (!trimmed.includes('/') || trimmed.includes('://')) return undefined;
  return pathCitation(trimmed, 'prose');
}
