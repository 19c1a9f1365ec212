/**
 * Keys of a configuration are names. YAML also allows a list or a mapping as a key (`? [a, b]: c`), which
 * would silently become the text "[a, b]" (with a Node warning on the console); such a key is refused where it is.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { ConfigIssue } from '../errors/index.js';
import type { YamlSource } from './yaml-source.js';

export function collectionKeyIssues(source: YamlSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(source.document, {
    Pair(_, pair) {
      if (!isPair(pair) || pair.key === null || isScalar(pair.key)) return;
      const key = isAlias(pair.key) ? pair.key.resolve(source.document) : pair.key;
      if (key === undefined || isScalar(key)) return;
      const { line, col } = source.lineCounter.linePos(
        (pair.key as { range?: [number, number, number] | null }).range?.[0] ?? 0,
      );
      issues.push({
        file: source.file,
        line,
        column: col,
        path: '',
        message: `a key must be a name, not a ${isSeq(key) ? 'list' : isMap(key) ? 'mapping' : 'value of this kind'}`,
      });
    },
  });
  return issues;
}

/** Deeper than any configuration needs; far below what would exhaust the stack while it is checked. */
export const MAX_NESTING = 64;

/** Nesting beyond MAX_NESTING, reported at the first node too deep; walked without recursion. */
export function nestingIssues(source: YamlSource): ConfigIssue[] {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: source.document.contents, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_NESTING) {
      const { line, col } = source.lineCounter.linePos(node.range?.[0] ?? 0);
      return [
        {
          file: source.file,
          line,
          column: col,
          path: '',
          message: `nested more than ${MAX_NESTING} levels deep; a configuration needs a handful`,
        },
      ];
    }
    for (const item of node.items) {
      if (isPair(item))
        pending.push({ node: item.value, depth: depth + 1 }, { node: item.key, depth: depth + 1 });
      else pending.push({ node: item, depth: depth + 1 });
    }
  }
  return [];
}

/**
 * Keys that cannot mean what they say: `__proto__` (JavaScript objects treat it as their prototype, so it would
 * vanish between the file and the workflow) and keys with control characters (a NUL or an escape sequence is no
 * name anyone meant, and would be echoed into terminals). Each is refused where it is, shown escaped.
 */
export function keyNameIssues(source: YamlSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(source.document, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || typeof pair.key.value !== 'string') return;
      const key = pair.key.value;
      const message =
        key === '__proto__'
          ? '`__proto__` cannot be a key: JavaScript reads it as an object’s prototype, so it would be lost'
          : hasControlCharacter(key)
            ? `the key ${JSON.stringify(key)} has a control character; keys are names`
            : undefined;
      if (message === undefined) return;
      const { line, col } = source.lineCounter.linePos(pair.key.range?.[0] ?? 0);
      issues.push({ file: source.file, line, column: col, path: '', message });
    },
  });
  return issues;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}
