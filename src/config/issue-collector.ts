import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { type FieldPath, formatFieldPath, isWithin } from './field-path.js';
import { hasPath, positionOf, type YamlSource } from './yaml-source.js';

export interface IssueOptions {
  hint?: string | undefined;
  /** Point at the key rather than its value: for unknown or misplaced keys. */
  at?: 'key' | 'value';
}

/**
 * Gathers every problem in a configuration, each placed at its node in the file, so one run of `validate`
 * shows them all. Paths already reported by the schema can be silenced, so a bad value is not reported a
 * second time by the resolver after it fell back to a default.
 */
export class IssueCollector {
  readonly #source: YamlSource | undefined;
  /** The templates a configuration extends, nearest first: a path only they hold is reported in them. */
  readonly #templates: readonly YamlSource[];
  readonly #issues: ConfigIssue[] = [];
  readonly #silenced: FieldPath[] = [];

  constructor(source?: YamlSource, templates: readonly YamlSource[] = []) {
    this.#source = source;
    this.#templates = templates;
  }

  get issues(): readonly ConfigIssue[] {
    return this.#issues;
  }

  add(path: FieldPath, message: string, options: IssueOptions = {}): void {
    if (this.isSilenced(path)) return;
    const source = this.#sourceHolding(path);
    const position = source === undefined ? undefined : positionOf(source, path, options.at ?? 'value');
    this.#issues.push({
      file: source?.file,
      line: position?.line,
      column: position?.column,
      path: formatFieldPath(path),
      message,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
  }

  #sourceHolding(path: FieldPath): YamlSource | undefined {
    if (this.#source === undefined || this.#templates.length === 0 || hasPath(this.#source, path)) {
      return this.#source;
    }
    return this.#templates.find((template) => hasPath(template, path)) ?? this.#source;
  }

  /** A problem with a command-line option that overrides the file (`--workspace`, `--budget`). */
  addCommandLine(option: string, message: string): void {
    this.#issues.push({ file: 'command line', line: undefined, column: undefined, path: option, message });
  }

  /** Drops later issues at, below or above `path` (the whole document excepted). */
  silence(path: FieldPath): void {
    this.#silenced.push(path);
  }

  isSilenced(path: FieldPath): boolean {
    return this.#silenced.some(
      (silenced) => isWithin(path, silenced) || (path.length > 0 && isWithin(silenced, path)),
    );
  }

  /** Throws every issue in one ConfigError, in file order (command-line problems first), as a reader scans. */
  throwIfAny(): void {
    if (this.#issues.length === 0) return;
    const inFileOrder = [...this.#issues].sort(
      (left, right) => (left.line ?? 0) - (right.line ?? 0) || (left.column ?? 0) - (right.column ?? 0),
    );
    throw new ConfigError(inFileOrder);
  }
}
