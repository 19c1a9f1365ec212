/**
 * What the fan-out tests share: git with a fixed author, and a planning report whose fenced JSON block lists the
 * work items a fanned-out phase runs. An item given by id alone touches `<id>.txt`, depends on nothing, and is
 * accepted when "`<id>` done".
 */
import { execFileSync } from 'node:child_process';
import { report } from './workflow.js';

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

export interface PlanItem {
  id: string;
  title?: string;
  files?: string[];
  depends_on?: string[];
  acceptance?: string;
}

/** The planning role's report naming `items` (by default under the built-in planning report's sections). */
export function planReport(items: ReadonlyArray<string | PlanItem>, heading = report('planning')): string {
  const workItems = items.map((entry) => {
    const item = typeof entry === 'string' ? { id: entry } : entry;
    return {
      id: item.id,
      title: item.title ?? item.id,
      files: item.files ?? [`${item.id}.txt`],
      depends_on: item.depends_on ?? [],
      acceptance: item.acceptance ?? `${item.id} done`,
    };
  });
  return [heading, '```json', JSON.stringify({ work_items: workItems }), '```'].join('\n');
}
