/**
 * The verdict a report gives in its "Go/no-go" section (verification decides the run; review states one too).
 * Read conservatively: a section that says "no-go" anywhere is a no-go, one that says "go" is a go, and a report
 * without the section or without a clear word gives no verdict.
 */
export type Verdict = 'go' | 'no-go';

const SECTION = /^#{1,6}\s+(?:[\d.)]+\s*)?go\s*\/\s*no[- ]go\b.*$/im;

export function parseGoNoGo(report: string): Verdict | null {
  const match = SECTION.exec(report);
  if (match === null) return null;
  const rest = report.slice(match.index + match[0].length);
  const next = /^#{1,6}\s/m.exec(rest);
  // The verdict may stand in the heading itself (`## Go/no-go: NO-GO`) or in the section below it.
  const heading = match[0].replace(/^#{1,6}\s+(?:[\d.)]+\s*)?go\s*\/\s*no[- ]?go/i, '');
  const text = `${heading}\n${next === null ? rest : rest.slice(0, next.index)}`.toLowerCase();
  // The phrase "go/no-go" itself is the question, not an answer.
  const body = text.replace(/\bgo\s*\/\s*no[- ]?go\b/g, '');
  if (/\bno[- ]?go\b/.test(body)) return 'no-go';
  // A bare "go" in ordinary prose ("tests do not go green") is not a verdict: it must stand as a word of its own.
  if (
    /(^|[\s*:—–(-])go([\s.!,*)]|$)/m.test(body) &&
    !/\b(?:not|do not|don't|doesn't|won't)\s+go\b/.test(body)
  )
    return 'go';
  return null;
}
