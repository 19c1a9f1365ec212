import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { ConfigIssue } from '../errors/index.js';
import type { FieldPath } from './field-path.js';

/** A parsed configuration file with what it takes to point at any of its nodes by line and column. */
export interface YamlSource {
  file: string;
  document: Document;
  lineCounter: LineCounter;
}

export interface Position {
  line: number;
  column: number;
}

/** Parses without throwing; syntax problems come back as issues, each at its own position. */
export function parseYamlSource(file: string, text: string): { source: YamlSource; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  // An unknown tag (`!!js/function`, `!custom`) is only a warning to the parser, which then reads the value as
  // text: phasewise reads plain data, so a tag it cannot resolve is an error where it stands.
  const unresolvedTags = document.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  const issues = [...document.errors, ...unresolvedTags].map((error): ConfigIssue => {
    const position = error.linePos?.[0];
    // prettyErrors appends the position and a source excerpt; the issue carries the position itself.
    const said = error.message.split(/ at line \d+|\n/)[0] ?? '';
    const tag = /^Unresolved tag: (.*)$/.exec(said)?.[1];
    return {
      file,
      line: position?.line,
      column: position?.col,
      path: '',
      message:
        tag === undefined
          ? `YAML syntax error: ${said}`
          : `unsupported YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')}: a configuration holds plain values (text, numbers, true/false, lists, mappings)`,
      ...(tag === undefined ? {} : { hint: 'remove the tag' }),
    };
  });
  // The parser recurses; a document nested thousands of levels deep exhausts the stack at every level it unwinds.
  const overflow = issues.find((issue) => issue.message.includes('Maximum call stack size exceeded'));
  if (overflow !== undefined) {
    return {
      source: { file, document, lineCounter },
      issues: [
        { ...overflow, message: 'nested too deeply to read; a configuration needs a handful of levels' },
      ],
    };
  }
  return { source: { file, document, lineCounter }, issues };
}

/**
 * The position of the key or the value at `path`. When the path does not exist in the document (a required key
 * is missing, or a default is being reported), the deepest node that does exist is used.
 */
export function positionOf(source: YamlSource, path: FieldPath, at: 'key' | 'value'): Position {
  let node: unknown = source.document.contents;
  let keyNode: unknown;
  let valueNode: unknown = node;
  for (const segment of path) {
    const entry = childOf(resolveAlias(node, source.document), segment);
    if (entry === undefined) break;
    keyNode = entry.key;
    // `cost_limit:` with nothing after it has an empty value node just past the colon; the key reads better.
    valueNode = isEmptyScalar(entry.value) ? entry.key : entry.value;
    node = entry.value;
  }
  const target = at === 'key' && keyNode !== undefined ? keyNode : valueNode;
  const offset = (target as Node | null)?.range?.[0] ?? 0;
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/** Whether the document holds a node at `path` (a configuration that extends a template may not). */
export function hasPath(source: YamlSource, path: FieldPath): boolean {
  let node: unknown = source.document.contents;
  for (const segment of path) {
    const entry = childOf(resolveAlias(node, source.document), segment);
    if (entry === undefined) return false;
    node = entry.value;
  }
  return true;
}

function childOf(node: unknown, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
    );
    return pair === undefined ? undefined : { key: pair.key, value: pair.value };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

function resolveAlias(node: unknown, document: Document): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

function isEmptyScalar(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  return isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}
