/**
 * `matches`: the report states what the phase had to state, as regular expressions it must each match (flags
 * `im`: case-insensitive, `^` and `$` at line ends) — e.g. a benchmark's figures before and after. The score is
 * the share matched; the evidence names the patterns that were not.
 */
import type { CheckOutcome } from './gate-input.js';

export function checkMatches(report: string, patterns: readonly string[]): CheckOutcome {
  const missing = patterns.filter((pattern) => !new RegExp(pattern, 'im').test(report));
  const score = patterns.length === 0 ? 1 : (patterns.length - missing.length) / patterns.length;
  return {
    score: Math.round(score * 10_000) / 10_000,
    message:
      missing.length === 0
        ? `the report matches all ${patterns.length} pattern(s)`
        : `the report does not state: ${missing.map((pattern) => `/${pattern}/`).join(', ')}`,
    evidence: { patterns: [...patterns], missing },
  };
}
