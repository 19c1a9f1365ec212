/**
 * The report of a fanned-out attempt: what each item did and how it merged, written under the role's own
 * deliverable headings (each with every item's section of that name), so the phase's gate reads it as it reads
 * one agent's report; and a table of the lanes first.
 */
import { readFileSync } from 'node:fs';
import { normalizeHeading } from '../../gate/check-sections.js';
import type { WorkItem } from './fan-out-types.js';

export interface LaneReport {
  item: WorkItem;
  status: string;
  tier: string;
  costUsd: number;
  gateScore: number | null;
  reportPath: string | null;
  merge: string;
}

export function fanOutReport(
  phaseId: string,
  lanes: readonly LaneReport[],
  deliverables: readonly string[],
  halt: string | null,
): string {
  const rows = lanes.map(
    (lane) =>
      `| ${lane.item.id} | ${lane.status} | ${lane.tier} | $${lane.costUsd.toFixed(4)} | ${lane.gateScore === null ? '–' : lane.gateScore.toFixed(2)} | ${lane.merge} |`,
  );
  const reports = new Map(lanes.map((lane) => [lane.item.id, readReport(lane.reportPath)]));
  const sections = deliverables.map((heading) => {
    const parts = lanes.map((lane) => {
      const text = sectionOf(reports.get(lane.item.id) ?? '', heading);
      return `### ${lane.item.id}: ${lane.item.title}\n\n${text ?? `(no "${heading}" section: ${lane.status})`}`;
    });
    return `## ${heading}\n\n${parts.join('\n\n')}`;
  });
  return [
    `# ${phaseId}: ${lanes.length} work items side by side`,
    ...(halt === null ? [] : [`**Halted:** ${halt}`]),
    ['| item | status | tier | cost | gate | merge |', '| --- | --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    ),
    ...sections,
  ].join('\n\n');
}

function readReport(path: string | null): string {
  if (path === null) return '';
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The body under a heading named `heading` (any level), up to the next heading of that level or higher. */
export function sectionOf(report: string, heading: string): string | undefined {
  const lines = report.split('\n');
  const wanted = normalizeHeading(heading);
  const start = lines.findIndex((line) => {
    const match = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    return match !== null && normalizeHeading(match[1]!) === wanted;
  });
  if (start === -1) return undefined;
  const level = /^(#+)/.exec(lines[start]!)![1]!.length;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => {
    const match = /^(#{1,6})\s/.exec(line);
    return match !== null && match[1]!.length <= level;
  });
  return (end === -1 ? rest : rest.slice(0, end)).join('\n').trim();
}
