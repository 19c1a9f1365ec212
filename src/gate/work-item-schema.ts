/**
 * A plan's work items: the pieces of work a fanned-out phase gives to agents of its own, and the JSON form a
 * report or a task file carries them in (snake_case, in a ```json block, see `work-items.ts`):
 *
 *   { "work_items": [ { "id": "parser", "title": "…", "files": ["src/parser.ts"],
 *                       "depends_on": ["lexer"], "acceptance": "…" } ] }
 *
 * The schema checks the shape; `work-items.ts` checks what it cannot: unique ids, known dependencies without a
 * cycle, files inside the workspace.
 */
import { z } from 'zod';

export interface WorkItem {
  /** A short slug; it becomes a branch and a directory name. */
  id: string;
  title: string;
  /** Workspace-relative paths (or directories, or globs as `diff`'s `allowed_paths` reads them) it expects to touch. */
  files: string[];
  /** Ids of the items that must be finished, and merged, before this one starts. */
  dependsOn: string[];
  /** What the item must achieve to count as done. */
  acceptance: string;
}

export const MAX_WORK_ITEMS = 32;
export const MAX_WORK_ITEM_ID_LENGTH = 40;
export const WORK_ITEM_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** A missing field is named as missing; a field of the wrong type says what it should be. */
const expected = (what: string, as: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `${what} is missing` : `expected ${what} as ${as}`;

const text = (what: string) =>
  z
    .string({ error: expected(what, 'a string') })
    .refine((value) => value.trim() !== '', { error: `${what} is empty` });

const id = z
  .string({ error: expected('the id', 'a string') })
  .max(MAX_WORK_ITEM_ID_LENGTH, { error: `an id is at most ${MAX_WORK_ITEM_ID_LENGTH} characters` })
  .regex(WORK_ITEM_ID_PATTERN, {
    error: 'an id is a short slug of lower-case letters, digits and dashes, e.g. "parser" or "api-v2"',
  });

const workItemJson = z.strictObject({
  id,
  title: text('the title'),
  files: z
    .array(text('a file path'), { error: expected('`files`', 'a list of workspace-relative paths') })
    .min(1, { error: 'list at least one file the item expects to touch' }),
  depends_on: z
    .array(z.string({ error: 'expected a dependency as an item id' }), {
      error: expected('`depends_on`', 'a list of item ids'),
    })
    .optional(),
  acceptance: text('the acceptance'),
});

/** The JSON form of a work-items block, as the report or the task writes it. */
export const workItemsJson = z.strictObject({
  work_items: z
    .array(workItemJson, { error: expected('`work_items`', 'a list of items') })
    .max(MAX_WORK_ITEMS, { error: `at most ${MAX_WORK_ITEMS} work items` }),
});

export type WorkItemsJson = z.infer<typeof workItemsJson>;

/** The items of a block whose shape the schema accepted, in camelCase, text trimmed, dependencies deduplicated. */
export function workItemsOf(json: WorkItemsJson): WorkItem[] {
  return json.work_items.map((item) => ({
    id: item.id,
    title: item.title.trim(),
    files: item.files.map((file) => file.trim()),
    dependsOn: [...new Set(item.depends_on ?? [])],
    acceptance: item.acceptance.trim(),
  }));
}

/** A zod issue path as the JSON reads it: `work_items[2].files[0]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** Each problem the schema found, with the field path it is at. */
export function schemaProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const at = jsonPath(issue.path);
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')} (${allowedKeys(issue.path)})`
        : issue.message;
    return at === '' ? message : `${at}: ${message}`;
  });
}

function allowedKeys(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? 'expected only "work_items"'
    : 'an item has "id", "title", "files", "depends_on" and "acceptance"';
}
