/**
 * `findings`: the review's structured findings within limits (by default no critical finding and at most two
 * high ones). 1 when every limit holds, else 0. A review without a findings block or table fails too — the
 * loop back to implementation depends on reading them — as does one with entries that cannot be read, since an
 * unreadable severity might be a critical one.
 */
import type { FindingSeverity } from '../config/types.js';
import { FINDING_SEVERITIES, type Finding, readFindings } from './findings.js';
import type { CheckOutcome } from './gate-input.js';

export type FindingPart = 'location' | 'line' | 'evidence' | 'fix';

export function checkFindings(
  report: string,
  limits: Partial<Record<FindingSeverity, number>>,
  mustHave: readonly FindingPart[] = [],
): CheckOutcome {
  const reading = readFindings(report);
  const counts = Object.fromEntries(
    FINDING_SEVERITIES.map((severity) => [
      severity,
      reading.findings.filter((finding) => finding.severity === severity).length,
    ]),
  ) as Record<FindingSeverity, number>;
  const evidence = { counts, limits, findings: reading.findings, problems: reading.problems };
  if (!reading.found) {
    return {
      score: 0,
      message:
        'no structured findings: add a ```json array of { severity, file, line, issue, fix } ([] for none)',
      evidence,
    };
  }
  if (reading.problems.length > 0) {
    return { score: 0, message: `unreadable findings: ${reading.problems.join('; ')}`, evidence };
  }
  const incomplete = reading.findings.flatMap((finding, index) => {
    const missing = mustHave.filter((part) => !hasPart(finding, part));
    return missing.length === 0 ? [] : [`finding ${index + 1} has no ${missing.join(', ')}`];
  });
  if (incomplete.length > 0) {
    return { score: 0, message: `incomplete findings: ${incomplete.join('; ')}`, evidence };
  }
  const exceeded = FINDING_SEVERITIES.filter((severity) => {
    const limit = limits[severity];
    return limit !== undefined && counts[severity] > limit;
  });
  const tally = FINDING_SEVERITIES.map((severity) => `${counts[severity]} ${severity}`).join(', ');
  if (exceeded.length === 0) return { score: 1, message: `${tally}: within limits`, evidence };
  const over = exceeded.map((severity) => `${counts[severity]} ${severity} (at most ${limits[severity]})`);
  return { score: 0, message: `over the limit: ${over.join(', ')}`, evidence };
}

function hasPart(finding: Finding, part: FindingPart): boolean {
  switch (part) {
    case 'location':
      return finding.file !== null;
    case 'line':
      return finding.line !== null;
    case 'evidence':
      return (finding.evidence ?? '') !== '';
    case 'fix':
      return finding.fix !== '';
  }
}
