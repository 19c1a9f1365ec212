import { readFileSync, statSync } from 'node:fs';
import { isMap } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { parseYamlSource, positionOf, type YamlSource } from './yaml-source.js';
import { describeValue } from './zod-messages.js';

/**
 * Reads and parses a configuration file. Anything that leaves nothing to validate — a missing file, a YAML
 * syntax error, an empty file, a top level that is not a mapping — stops here with a ConfigError.
 */
export function readConfigFile(file: string): { source: YamlSource; data: Record<string, unknown> } {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (stats === undefined || !stats.isFile()) {
    fail(file, stats === undefined ? 'configuration file not found' : 'is not a file', {
      hint: 'check the path given with -c, or run `phasewise init` to write one',
    });
  }
  const { source, issues } = parseYamlSource(file, readFileSync(file, 'utf8'));
  if (issues.length > 0) throw new ConfigError(issues);
  const contents = source.document.contents;
  if (contents === null || (isMap(contents) && contents.items.length === 0)) {
    fail(file, 'the configuration file is empty', {
      line: 1,
      column: 1,
      hint: 'run `phasewise init` for a start',
    });
  }
  const data = toPlainData(source, file);
  if (!isMap(contents) || data === null || typeof data !== 'object' || Array.isArray(data)) {
    const { line, column } = positionOf(source, [], 'value');
    fail(
      file,
      `the top level must be a mapping of keys (version, task, phases, ...), got ${describeValue(data)}`,
      {
        line,
        column,
      },
    );
  }
  return { source, data: data as Record<string, unknown> };
}

function toPlainData(source: YamlSource, file: string): unknown {
  try {
    return source.document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return fail(file, `cannot read the YAML: ${(error as Error).message}`);
  }
}

function fail(file: string, message: string, extra: Partial<ConfigIssue> = {}): never {
  throw new ConfigError([{ file, line: undefined, column: undefined, path: '', message, ...extra }]);
}
