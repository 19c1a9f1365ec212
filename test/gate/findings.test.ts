import { describe, expect, it } from 'vitest';
import { checkFindings } from '../../src/gate/check-findings.js';
import { parseFindings, readFindings } from '../../src/gate/findings.js';

const limits = { critical: 0, high: 2 };

function jsonReport(findings: unknown): string {
  return `## Findings\n\n\`\`\`json\n${JSON.stringify(findings, null, 2)}\n\`\`\`\n\n## Go/no-go\nno-go`;
}

describe('parseFindings', () => {
  it('reads a fenced JSON array, normalizing severities and locations', () => {
    const report = jsonReport([
      { severity: 'Critical', file: 'src/auth.js', line: 42, issue: 'token never expires', fix: 'check exp' },
      { severity: 'LOW', file: 'src/util.js:7', issue: 'typo', suggestion: 'fix spelling' },
      { severity: 'medium', issue: 'no tests for the error path' },
    ]);
    expect(parseFindings(report)).toEqual([
      { severity: 'critical', file: 'src/auth.js', line: 42, issue: 'token never expires', fix: 'check exp' },
      { severity: 'low', file: 'src/util.js', line: 7, issue: 'typo', fix: 'fix spelling' },
      { severity: 'medium', file: null, line: null, issue: 'no tests for the error path', fix: '' },
    ]);
  });

  it('reads { "findings": [...] } and ignores JSON blocks that are not findings', () => {
    const report = [
      '```json',
      '{ "name": "package", "version": "1.0.0" }',
      '```',
      '```json',
      '{ "findings": [{ "severity": "high", "file": "a.js", "line": "3", "issue": "x", "fix": "y" }] }',
      '```',
    ].join('\n');
    expect(parseFindings(report)).toEqual([
      { severity: 'high', file: 'a.js', line: 3, issue: 'x', fix: 'y' },
    ]);
  });

  it('reads a Markdown table when there is no JSON block', () => {
    const report = [
      '## Findings',
      '| Severity | File | Line | Issue | Suggested fix |',
      '|---|---|---|---|---|',
      '| **High** | `src/db.js` | 10 | SQL built from input | use parameters |',
      '| low | - | - | naming | rename |',
      '',
      'Other text | with a pipe',
    ].join('\n');
    expect(parseFindings(report)).toEqual([
      { severity: 'high', file: 'src/db.js', line: 10, issue: 'SQL built from input', fix: 'use parameters' },
      { severity: 'low', file: null, line: null, issue: 'naming', fix: 'rename' },
    ]);
  });

  it('tells "no findings" ([]) apart from no findings block, and reports unreadable entries', () => {
    expect(readFindings(jsonReport([]))).toEqual({ found: true, findings: [], problems: [] });
    expect(readFindings('## Findings\nAll good.')).toEqual({ found: false, findings: [], problems: [] });
    expect(
      readFindings(jsonReport([{ severity: 'severe', issue: 'x' }, { severity: 'low' }])).problems,
    ).toEqual(['finding 1: unknown severity "severe"', 'finding 2: no issue described']);
  });
});

describe('findings check', () => {
  it('passes within the limits', () => {
    const report = jsonReport([
      { severity: 'high', file: 'a.js', line: 1, issue: 'a', fix: 'b' },
      { severity: 'high', file: 'b.js', line: 2, issue: 'c', fix: 'd' },
      { severity: 'low', file: 'c.js', line: 3, issue: 'e', fix: 'f' },
    ]);
    const outcome = checkFindings(report, limits);
    expect(outcome).toMatchObject({
      score: 1,
      message: '0 critical, 2 high, 0 medium, 1 low: within limits',
    });
    expect(outcome.evidence).toMatchObject({ counts: { critical: 0, high: 2, medium: 0, low: 1 }, limits });
    expect(checkFindings(jsonReport([]), limits).score).toBe(1);
  });

  it('fails over a limit, naming it', () => {
    const report = jsonReport([
      { severity: 'critical', file: 'a.js', line: 1, issue: 'a', fix: 'b' },
      ...Array.from({ length: 3 }, () => ({ severity: 'high', file: 'a.js', line: 1, issue: 'a', fix: 'b' })),
    ]);
    expect(checkFindings(report, limits)).toMatchObject({
      score: 0,
      message: 'over the limit: 1 critical (at most 0), 3 high (at most 2)',
    });
    expect(checkFindings(report, { critical: 1, high: 3 }).score).toBe(1);
  });

  it('fails without structured findings, or with unreadable ones', () => {
    expect(checkFindings('## Findings\nLooks fine to me.', limits)).toMatchObject({
      score: 0,
      message:
        'no structured findings: add a ```json array of { severity, file, line, issue, fix } ([] for none)',
    });
    expect(checkFindings(jsonReport([{ severity: 'blocker', issue: 'x' }]), limits)).toMatchObject({
      score: 0,
      message: 'unreadable findings: finding 1: unknown severity "blocker"',
    });
  });
});
