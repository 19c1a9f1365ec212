import { readFileSync, type Stats, statSync } from 'node:fs';
import { isMap } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { decodeUtf8, invalidUtf8Message } from './decode-text.js';
import { collectionKeyIssues, keyNameIssues, nestingIssues } from './yaml-keys.js';
import { parseYamlSource, positionOf, type YamlSource } from './yaml-source.js';
import { describeValue } from './zod-messages.js';

/**
 * Reads and parses a configuration file. Anything that leaves nothing to validate — a missing file, a YAML
 * syntax error, an empty file, a top level that is not a mapping — stops here with a ConfigError.
 */
export function readConfigFile(file: string): { source: YamlSource; data: Record<string, unknown> } {
  const stats = statOrUndefined(file);
  if (stats === undefined || !stats.isFile()) {
    fail(file, stats === undefined ? 'configuration file not found' : 'is not a file', {
      hint: 'check the path given with -c, or run `phasewise init` to write one',
    });
  }
  if (stats.size > MAX_CONFIG_BYTES) {
    fail(file, `is ${(stats.size / 1024 / 1024).toFixed(1)} MiB; a configuration file is at most 2 MiB`, {
      hint: 'keep long tasks and prompts in files of their own (task: ./TASK.md), at most 1 MiB each',
    });
  }
  const decoded = decodeUtf8(readBytes(file));
  if (!decoded.ok) fail(file, invalidUtf8Message(decoded), decoded.position);
  const { source, issues } = parseYamlSource(file, decoded.text);
  if (issues.length > 0) throw new ConfigError(issues);
  const keyIssues = [...nestingIssues(source), ...collectionKeyIssues(source), ...keyNameIssues(source)];
  if (keyIssues.length > 0) throw new ConfigError(keyIssues);
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

/** Room for a 1 MiB inline task and a prompt or two; anything larger is not a configuration. */
const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/** A path that cannot name a file (too long, through a file) is as good as missing. */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    return fail(file, `cannot be read: ${(error as Error).message}`, {
      hint: 'check that the file exists and that you may read it',
    });
  }
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
