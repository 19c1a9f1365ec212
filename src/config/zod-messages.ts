import type { z } from 'zod';
import { suggestionHint } from './did-you-mean.js';

type ZodIssue = z.core.$ZodIssue;

/**
 * Marker returned by the per-parse error map: zod's own wording ("Invalid input: expected number") is replaced
 * by ours, while a message a schema set on purpose (which takes precedence over the error map) is kept.
 */
export const DEFAULT_MESSAGE = '\u0000default';
export const markDefaultMessage = (): { message: string } => ({ message: DEFAULT_MESSAGE });

/**
 * How a user's document (a configuration, an eval task file) is checked: our wording for zod's messages, the
 * offending input in each issue, and no compiled fast path — zod would compile a parser for each object schema
 * (`new Function`) on its first parse, which costs a start 3–5 ms more than it saves on a document parsed once.
 */
export const DOCUMENT_PARSE = { error: markDefaultMessage, reportInput: true, jitless: true } as const;

const EXPECTED_WORDS: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** How a YAML value reads back to its author. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return String(value);
}

export function messageFor(issue: ZodIssue): string {
  if (issue.message !== DEFAULT_MESSAGE) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `expected ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return tooSmallMessage(issue);
    case 'too_big':
      return issue.origin === 'array'
        ? `must have at most ${issue.maximum} entries`
        : `must be at most ${issue.maximum}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => `\`${String(value)}\``).join(', ')}; got ${describeValue(issue.input)}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? 'expected a URL such as http://127.0.0.1:11434/v1'
        : `expected ${issue.format}`;
    case 'invalid_union':
      return discriminatorMessage(issue) ?? unionTypeMessage(issue);
    default:
      return `is not valid (${issue.code})`;
  }
}

export function hintFor(issue: ZodIssue): string | undefined {
  if (issue.code === 'invalid_value' && typeof issue.input === 'string') {
    return suggestionHint(issue.input, issue.values.map(String), 'allowed');
  }
  return undefined;
}

function tooSmallMessage(issue: z.core.$ZodIssueTooSmall): string {
  if (issue.origin === 'array')
    return issue.minimum === 1 ? 'must not be empty' : `needs at least ${issue.minimum} entries`;
  if (issue.origin === 'string') return 'must not be empty';
  const bound = issue.inclusive === false ? 'greater than' : 'at least';
  return `must be ${bound} ${issue.minimum}, got ${describeValue(issue.input)}`;
}

/** A discriminated union whose `kind` matched no option: name the options. */
function discriminatorMessage(issue: ZodIssue): string | undefined {
  if (issue.code !== 'invalid_union' || issue.discriminator === undefined || !('options' in issue))
    return undefined;
  const options = (issue.options ?? []).map((option) => `\`${String(option)}\``).join(', ');
  const given = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
  return given === undefined
    ? `\`${issue.discriminator}\` is required: one of ${options}`
    : `unknown ${issue.discriminator} ${describeValue(given)}; expected one of ${options}`;
}

/** No branch of a union took the value: list the types the branches expected. */
function unionTypeMessage(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = issue.errors.flatMap((branch) =>
    branch.flatMap((inner) =>
      inner.path.length === 0 && inner.code === 'invalid_type'
        ? [EXPECTED_WORDS[inner.expected] ?? inner.expected]
        : [],
    ),
  );
  const unique = [...new Set(expected)];
  return unique.length === 0
    ? `is not valid: ${describeValue(issue.input)}`
    : `expected ${unique.join(' or ')}, got ${describeValue(issue.input)}`;
}
