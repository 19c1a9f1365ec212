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
