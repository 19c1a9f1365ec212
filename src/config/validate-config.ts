import type { FieldPath } from './field-path.js';
import type { IssueCollector } from './issue-collector.js';
import { configSchema, type RawConfig } from './schema.js';
import { draftsFromZodIssues } from './zod-issues.js';
import { DOCUMENT_PARSE } from './zod-messages.js';

const MAX_ROUNDS = 8;

/**
 * Checks the document against the schema and reports every problem. So that the resolver can still check
 * references, cycles and the rest in the same run, each offending entry is removed (its default takes over)
 * and its path silenced, and the document is checked again. Returns undefined when it cannot be repaired.
 */
export function validateConfig(data: unknown, issues: IssueCollector): RawConfig | undefined {
  const candidate = structuredClone(data);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = configSchema.safeParse(candidate, DOCUMENT_PARSE);
    if (result.success) return result.data;
    const drafts = draftsFromZodIssues(result.error.issues, configSchema);
    const removals: FieldPath[] = [];
    for (const draft of drafts) {
      issues.add(draft.path, draft.message, { hint: draft.hint, at: draft.at });
      removals.push(removablePath(draft.path));
    }
    for (const path of removals) {
      if (path.length === 0 || !removeAt(candidate, path)) return undefined;
      issues.silence(path);
    }
  }
  return undefined;
}

/** The nearest mapping entry holding the problem: a bad list item takes its whole list with it. */
function removablePath(path: FieldPath): FieldPath {
  let end = path.length;
  while (end > 0 && typeof path[end - 1] === 'number') end--;
  return path.slice(0, end);
}

function removeAt(data: unknown, path: FieldPath): boolean {
  let node = data;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  const last = path.at(-1);
  if (node === null || typeof node !== 'object' || Array.isArray(node) || typeof last !== 'string')
    return false;
  if (!Object.hasOwn(node, last)) {
    // A required key is missing: nothing to remove at the key, so remove the entry that lacks it.
    return path.length > 1 && removeAt(data, removablePath(path.slice(0, -1)));
  }
  delete (node as Record<string, unknown>)[last];
  return true;
}
