/**
 * A review's structured findings (DESIGN §3, "Review closes the loop"): a fenced ```json block holding an array
 * of `{ severity, file, line, issue, fix }` (or `{ "findings": [...] }`), or else a Markdown table with those
 * columns. The review loop reads them to send critical findings back to implementation; the `findings` check
 * counts them against limits.
 */
import type { FindingSeverity } from '../config/types.js';

export type { FindingSeverity };

export interface Finding {
  severity: FindingSeverity;
  file: string | null;
  line: number | null;
  issue: string;
  fix: string;
  /** What shows the finding (code, input, output), when the entry gives it. */
  evidence?: string;
}

export interface FindingsReading {
  /** Whether the report has a findings block or table at all (an empty `[]` is one: "no findings"). */
  found: boolean;
  findings: Finding[];
  /** Entries that could not be read, e.g. an unknown severity. */
  problems: string[];
}

export const FINDING_SEVERITIES: readonly FindingSeverity[] = ['critical', 'high', 'medium', 'low'];

/** The findings of a report, entries that cannot be read left out. */
export function parseFindings(report: string): Finding[] {
  return readFindings(report).findings;
}

export function readFindings(report: string): FindingsReading {
  const fromJson = jsonEntries(report);
  const entries = fromJson ?? tableEntries(report);
  if (entries === undefined) return { found: false, findings: [], problems: [] };
  const findings: Finding[] = [];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const finding = toFinding(entry);
    if (typeof finding === 'string') problems.push(`finding ${index + 1}: ${finding}`);
    else findings.push(finding);
  });
  return { found: true, findings, problems };
}

type Entry = Record<string, unknown>;

/** Entries of every JSON block shaped like findings; undefined when there is none. */
function jsonEntries(report: string): Entry[] | undefined {
  let entries: Entry[] | undefined;
  for (const match of report.matchAll(/^\s{0,3}(`{3,}|~{3,})\s*json[c5]?\s*\n([\s\S]*?)\n\s{0,3}\1\s*$/gim)) {
    let value: unknown;
    try {
      value = JSON.parse(match[2] ?? '');
    } catch {
      continue;
    }
    const list = Array.isArray(value) ? value : (value as { findings?: unknown } | null)?.findings;
    if (!Array.isArray(list)) continue;
    const objects = list.filter((item): item is Entry => item !== null && typeof item === 'object');
    if (list.length > 0 && !objects.some((item) => 'severity' in item)) continue;
    entries = [...(entries ?? []), ...list.map((item) => (objects.includes(item) ? item : { value: item }))];
  }
  return entries;
}

const COLUMN_NAMES: Readonly<Record<string, keyof Finding>> = {
  severity: 'severity',
  file: 'file',
  path: 'file',
  location: 'file',
  line: 'line',
  issue: 'issue',
  finding: 'issue',
  description: 'issue',
  problem: 'issue',
  fix: 'fix',
  suggestion: 'fix',
  'suggested fix': 'fix',
  recommendation: 'fix',
};

/** Rows of every Markdown table whose header has a Severity column. */
function tableEntries(report: string): Entry[] | undefined {
  const lines = report.split('\n');
  let entries: Entry[] | undefined;
  for (let index = 0; index < lines.length - 1; index++) {
    const header = cells(lines[index] ?? '');
    if (header === undefined || !/^\s*\|?\s*:?-{3,}/.test(lines[index + 1] ?? '')) continue;
    const columns = header.map(
      (cell) =>
        COLUMN_NAMES[
          cell
            .toLowerCase()
            .replace(/[^a-z ]/g, '')
            .trim()
        ],
    );
    if (!columns.includes('severity')) continue;
    entries ??= [];
    let row = index + 2;
    for (; row < lines.length; row++) {
      const values = cells(lines[row] ?? '');
      if (values === undefined) break;
      const entry: Entry = {};
      columns.forEach((column, position) => {
        if (column !== undefined) entry[column] = values[position] ?? '';
      });
      entries.push(entry);
    }
    index = row - 1;
  }
  return entries;
}

function cells(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (!trimmed.includes('|')) return undefined;
  const inner = trimmed.replace(/^\|/, '').replace(/\|$/, '');
  return inner.split('|').map((cell) => cell.trim().replace(/^`(.*)`$/, '$1'));
}

function toFinding(entry: Entry): Finding | string {
  const severity = normalizeSeverity(entry.severity);
  if (severity === undefined) return `unknown severity ${JSON.stringify(entry.severity ?? null)}`;
  const issue = firstText(entry, ['issue', 'description', 'problem', 'title', 'message', 'finding']);
  if (issue === '') return 'no issue described';
  const location = firstText(entry, ['file', 'path', 'location']);
  const embedded = /^(.*?):(\d+)(?:[-:]\d+)?$/.exec(location);
  const line = toLine(entry.line) ?? (embedded === null ? null : Number(embedded[2]));
  const file = (embedded === null ? location : (embedded[1] ?? '')).trim();
  return {
    severity,
    file: file === '' || file === '-' ? null : file,
    line,
    issue,
    fix: firstText(entry, ['fix', 'suggestion', 'suggested_fix', 'suggestedFix', 'recommendation']),
    ...evidenceOf(entry),
  };
}

/** Only when given: findings without it keep the shape they always had. */
function evidenceOf(entry: Entry): { evidence?: string } {
  const evidence = firstText(entry, ['evidence', 'proof', 'poc']);
  return evidence === '' ? {} : { evidence };
}

/** `Critical`, `HIGH`, `**high**`, `🔴 critical` all read; anything else is not guessed at. */
function normalizeSeverity(value: unknown): FindingSeverity | undefined {
  if (typeof value !== 'string') return undefined;
  const word = value.toLowerCase().replace(/[^a-z]/g, '');
  return FINDING_SEVERITIES.find((severity) => severity === word);
}

function firstText(entry: Entry, keys: string[]): string {
  for (const key of keys) {
    const value = entry[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return '';
}

function toLine(value: unknown): number | null {
  const number = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isInteger(number) && number > 0 ? number : null;
}
