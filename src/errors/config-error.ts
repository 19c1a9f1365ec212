import { UsageError } from './errors.js';

/** One problem found in a configuration: where it is and what to do about it. */
export interface ConfigIssue {
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  /** Field path, e.g. `phases.planning.cost_limit`. Empty for the whole document. */
  path: string;
  message: string;
  hint?: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where =
    issue.file === undefined
      ? '<config>'
      : issue.line === undefined
        ? issue.file
        : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const field = issue.path === '' ? '' : ` ${issue.path}:`;
  const hint = issue.hint === undefined ? '' : `\n    hint: ${issue.hint}`;
  return `${where}:${field} ${issue.message}${hint}`;
}

/**
 * The configuration is invalid; carries every issue found, each with file, line, column and field path. A kind
 * of `UsageError` (exit 2), so code that catches a refused request catches this too.
 */
export class ConfigError extends UsageError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    const first = issues[0];
    super(
      issues.length === 1 && first !== undefined
        ? formatConfigIssue(first)
        : `${issues.length} problems in the configuration:\n${issues.map((i) => `  ${formatConfigIssue(i)}`).join('\n')}`,
      {},
      'config_invalid',
    );
    this.issues = issues;
  }
}
