/**
 * zod's verdict on a JSON data file, as issues a person can act on: each names its field path and quotes the
 * value it found. Shared by the outcome table and the gate-accuracy file.
 */
import type { z } from 'zod';
import { DataFileError, type DataFileIssue } from '../errors/index.js';
import { type FieldPath, formatFieldPath } from '../util/field-path.js';

/** `document` is the value zod checked; `at` is where that value sits in the file. */
export function issuesFromZod(error: z.ZodError, document: unknown, at: FieldPath = []): DataFileIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    const found = valueAt(document, path);
    const got = found.present ? `, got ${describeValue(found.value)}` : '';
    return { path: formatFieldPath([...at, ...path]), message: `${issue.message}${got}` };
  });
}

/** `-0.2`, `"yes"`, `null`, `an object`: short enough for one line of an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Parses JSON, or says where it stops being JSON. */
export function parseJsonDocument(text: string, file: string, what: string, hint: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataFileError(file, what, [{ path: '', message: `not valid JSON: ${reason}` }], { hint });
  }
}

function valueAt(document: unknown, path: FieldPath): { present: boolean; value?: unknown } {
  let current: unknown = document;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment))
      return { present: false };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { present: true, value: current };
}
