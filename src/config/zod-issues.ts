import type { z } from 'zod';
import { suggestionHint } from './did-you-mean.js';
import type { FieldPath } from './field-path.js';
import { knownKeysAt } from './schema-keys.js';
import { hintFor, messageFor } from './zod-messages.js';

type ZodIssue = z.core.$ZodIssue;

/** A schema problem translated to the configuration's terms, not yet placed in the file. */
export interface IssueDraft {
  path: FieldPath;
  message: string;
  hint?: string | undefined;
  at: 'key' | 'value';
}

export function draftsFromZodIssues(issues: readonly ZodIssue[], schema: z.ZodType): IssueDraft[] {
  return issues.flatMap((issue) => draftsFor(issue, [], schema));
}

function draftsFor(issue: ZodIssue, prefix: FieldPath, schema: z.ZodType): IssueDraft[] {
  const path: FieldPath = [
    ...prefix,
    ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
  ];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKeyDraft(path, key, schema));
    case 'invalid_union':
      return unionDrafts(issue, path, schema);
    case 'invalid_key': {
      const inner = issue.issues[0];
      return [{ path, message: inner === undefined ? 'is not a valid key' : messageFor(inner), at: 'key' }];
    }
    default:
      return [{ path, message: messageFor(issue), hint: hintFor(issue), at: 'value' }];
  }
}

function unknownKeyDraft(path: FieldPath, key: string, schema: z.ZodType): IssueDraft {
  const known = knownKeysAt(schema, path);
  return {
    path: [...path, key],
    message: `unknown key \`${key}\``,
    hint: suggestionHint(key, known, 'allowed keys'),
    at: 'key',
  };
}

/**
 * zod reports a failed union as one issue holding every branch's issues. The branch the author meant is the one
 * whose value had the right type (a mapping for `budget: { usd: -1 }`); report its issues. When no branch took
 * the value, report the union's own message, which says which forms are accepted.
 */
function unionDrafts(issue: z.core.$ZodIssueInvalidUnion, path: FieldPath, schema: z.ZodType): IssueDraft[] {
  const meant = issue.errors.find(branchTookValue);
  if (meant !== undefined) return meant.flatMap((inner) => draftsFor(inner, path, schema));
  return [{ path, message: messageFor(issue), at: 'value' }];
}

function branchTookValue(branch: readonly ZodIssue[]): boolean {
  if (branch.length === 0) return false;
  return !branch.some(
    (issue) =>
      issue.path.length === 0 &&
      (issue.code === 'invalid_type' ||
        (issue.code === 'invalid_union' && !issue.errors.some(branchTookValue))),
  );
}
