/**
 * `grounding`: the paths a report cites exist in the workspace; score = the share that do. A report that
 * invents `src/auth/session.ts` is describing a codebase that is not there.
 *
 * A citation is a path that looks like one (`path-citation.ts`). A relative path not found at the root may name
 * a file deeper down (`auth/login.js` for `src/auth/login.js`): reports often cite from a subdirectory. A cited
 * line must exist. A backticked symbol (`parseToken`) found as a whole word in a file the repository does not
 * ignore counts as a grounded citation; one that is not found is neither counted nor reported: it may belong to
 * a library or the language (`createHmac`, `structuredClone`), which the workspace does not define. With
 * `allowNew` (planning), an absent path the report introduces as new ("`src/tokens.js` (new)") is not counted;
 * any other one the report itself calls absent still is: the check reads citations, not sentences.
 */
import { realpath } from 'node:fs/promises';
import { findWords, type Lookup, listFiles, lookUpPath } from './citation-lookup.js';
import { type Citation, extractCitations, type PathCitation, type SymbolCitation } from './citations.js';
import type { CheckOutcome } from './gate-input.js';

export interface GroundingOptions {
  workspace: string;
  minCitations: number;
  symbols: boolean;
  /** Absent citations the report introduces as new are left out of the score (a plan's new files). */
  allowNew: boolean;
  abortSignal: AbortSignal;
}

/** More citations than this are not looked up; the score is over the ones that were. */
const MAX_CITATIONS = 300;

export async function checkGrounding(report: string, options: GroundingOptions): Promise<CheckOutcome> {
  const all = extractCitations(report, { symbols: options.symbols });
  const citations = all.slice(0, MAX_CITATIONS);
  const lookups = await lookUpAll(citations, await realpath(options.workspace), options);
  const excused = (index: number) =>
    lookups[index]?.found === false &&
    (citations[index]?.kind === 'symbol' || (options.allowNew && citations[index]?.introduced === true));
  const counted = lookups.filter((_, index) => !excused(index));
  const found = counted.filter((lookup) => lookup.found).length;
  const denominator = Math.max(counted.length, options.minCitations);
  const missing = counted.filter((lookup) => !lookup.found);
  const introduced = lookups
    .filter((_, index) => excused(index) && citations[index]?.kind === 'path')
    .map((lookup) => lookup.citation);
  const evidence = {
    cited: counted.length,
    found,
    missing: missing.map(({ citation, note }) => ({ citation, reason: note ?? 'not found' })),
    foundElsewhere: counted
      .filter((lookup) => lookup.found && lookup.note !== undefined)
      .map(({ citation, note }) => ({ citation, as: note })),
    ...(introduced.length > 0 ? { introducedAsNew: introduced } : {}),
    ...(all.length > citations.length ? { notChecked: all.length - citations.length } : {}),
  };
  const message = groundingMessage(counted.length, found, missing, options.minCitations);
  return {
    score: denominator === 0 ? 1 : found / denominator,
    message:
      introduced.length > 0 ? `${message} (${introduced.length} introduced as new, not counted)` : message,
    evidence,
  };
}

function groundingMessage(cited: number, found: number, missing: Lookup[], minCitations: number): string {
  if (cited === 0) {
    return minCitations === 0
      ? 'no paths or symbols cited: nothing to check'
      : `no paths or symbols cited; at least ${minCitations} expected`;
  }
  const shortfall = cited < minCitations ? `; at least ${minCitations} citations expected` : '';
  if (missing.length === 0) return `all ${cited} cited paths and symbols exist${shortfall}`;
  const shown = missing.slice(0, 8).map((lookup) => `\`${lookup.citation}\``);
  const more = missing.length > shown.length ? ` and ${missing.length - shown.length} more` : '';
  return `${found} of ${cited} citations exist; not in the workspace: ${shown.join(', ')}${more}${shortfall}`;
}

async function lookUpAll(citations: Citation[], root: string, options: GroundingOptions): Promise<Lookup[]> {
  const paths = citations.filter((citation): citation is PathCitation => citation.kind === 'path');
  const symbols = citations.filter((citation): citation is SymbolCitation => citation.kind === 'symbol');
  let fileList: Promise<string[]> | undefined;
  const files = () => {
    fileList ??= listFiles(root, options.abortSignal);
    return fileList;
  };
  const pathLookups = await Promise.all(
    paths.map((citation) => lookUpPath(citation, root, options.workspace, files)),
  );
  const occurring = await findWords(
    symbols.flatMap((symbol) => symbol.parts),
    root,
    options.abortSignal,
  );
  const byText = new Map<Citation, Lookup>();
  paths.forEach((citation, index) => {
    byText.set(citation, pathLookups[index] as Lookup);
  });
  for (const symbol of symbols) {
    const absent = symbol.parts.filter((part) => !occurring.has(part));
    byText.set(symbol, {
      citation: symbol.text,
      found: absent.length === 0,
      ...(absent.length === 0 ? {} : { note: `no occurrence of ${absent.join(', ')}` }),
    });
  }
  return citations.map((citation) => byText.get(citation) as Lookup);
}
