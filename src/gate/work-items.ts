/**
 * Reading a plan's work items out of Markdown — a planning report, or a task file that carries its own split.
 * The convention is one fenced block tagged `json` whose object has a `work_items` list (`work-item-schema.ts`
 * shows the form); other blocks, and all text around the block, are ignored: the text is data, never
 * instructions. A `json` block that does not parse counts as the work-items block when it mentions
 * `"work_items"`, so a broken list fails with its reason instead of passing as "no items". Two such blocks are
 * an error: which one the plan meant is not ours to guess.
 */
import { fencedBlocks } from './markdown-fences.js';
import { normalizeItemFile } from './work-item-files.js';
import { dependencyCycle } from './work-item-order.js';
import { schemaProblems, type WorkItem, workItemsJson, workItemsOf } from './work-item-schema.js';

export * from './work-item-order.js';
export type { WorkItem } from './work-item-schema.js';
export { MAX_WORK_ITEMS, workItemsJson } from './work-item-schema.js';

export type WorkItemsReading =
  | { found: false }
  | { found: true; items: WorkItem[] }
  | { found: true; error: string };

/** The most problems one error names; the rest are counted, so a long list stays readable in a prompt. */
const MAX_PROBLEMS_NAMED = 8;

export function extractWorkItems(markdown: string): WorkItemsReading {
  const candidates = fencedBlocks(markdown)
    .filter((block) => block.language === 'json')
    .map((block) => ({ block, parsed: parseJson(block.text) }))
    .filter(({ block, parsed }) =>
      'error' in parsed ? /"work_items"\s*:/.test(block.text) : hasWorkItemsKey(parsed.value),
    );
  const [candidate, second] = candidates;
  if (candidate === undefined) return { found: false };
  if (second !== undefined) {
    const lines = candidates.map(({ block }) => block.line).join(', ');
    return { found: true, error: `found ${candidates.length} work-items blocks (lines ${lines}): give one` };
  }
  const at = `the work-items block (line ${candidate.block.line})`;
  const { parsed } = candidate;
  if ('error' in parsed) return { found: true, error: `${at} is not valid JSON: ${parsed.error}` };
  const result = validateWorkItems(parsed.value);
  return 'error' in result ? { found: true, error: `${at}: ${result.error}` } : { found: true, ...result };
}

/**
 * The items of a parsed `{ "work_items": [...] }` value, or every reason it cannot be used, each with its
 * field path and the item's id: unique slugs, dependencies that name items and make no cycle, files inside the
 * workspace (normalized here).
 */
export function validateWorkItems(value: unknown): { items: WorkItem[] } | { error: string } {
  const shape = workItemsJson.safeParse(value);
  if (!shape.success) return { error: joinProblems(schemaProblems(shape.error)) };
  const items = workItemsOf(shape.data);
  const problems = [...idProblems(items), ...dependencyProblems(items), ...fileProblems(items)];
  const cycle = dependencyCycle(items);
  if (cycle !== undefined) {
    problems.push(`the dependencies go round in a circle: ${cycle.join(' → ')} (each depends on the next)`);
  }
  return problems.length > 0 ? { error: joinProblems(problems) } : { items };
}

function idProblems(items: readonly WorkItem[]): string[] {
  return items.flatMap((item, index) => {
    const first = items.findIndex((other) => other.id === item.id);
    return first === index
      ? []
      : [`work_items[${index}].id: "${item.id}" is already the id of work_items[${first}]`];
  });
}

function dependencyProblems(items: readonly WorkItem[]): string[] {
  const ids = items.map((item) => item.id);
  return items.flatMap((item, index) =>
    item.dependsOn
      .filter((dependency) => !ids.includes(dependency))
      .map(
        (dependency) =>
          `work_items[${index}].depends_on: item "${item.id}" depends on "${dependency}", which is no item's id ` +
          `(ids: ${ids.join(', ')})`,
      ),
  );
}

/** Normalizes each item's files in place (duplicates after normalizing dropped); returns what was refused. */
function fileProblems(items: WorkItem[]): string[] {
  const problems: string[] = [];
  items.forEach((item, index) => {
    const normal: string[] = [];
    item.files.forEach((file, fileIndex) => {
      const checked = normalizeItemFile(file);
      if ('problem' in checked) {
        problems.push(
          `work_items[${index}].files[${fileIndex}]: item "${item.id}" file "${file}" ${checked.problem}`,
        );
      } else if (!normal.includes(checked.path)) {
        normal.push(checked.path);
      }
    });
    item.files = normal;
  });
  return problems;
}

function joinProblems(problems: readonly string[]): string {
  const named = problems.slice(0, MAX_PROBLEMS_NAMED);
  const more = problems.length - named.length;
  return named.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function hasWorkItemsKey(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, 'work_items')
  );
}
