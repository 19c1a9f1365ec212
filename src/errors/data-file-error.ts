import { ExitCode, PhasewiseError } from './phasewise-error.js';

/** One problem in a data file: where in the document (`tasks[3].results.gpt-5-mini.cost_usd`) and what is wrong. */
export interface DataFileIssue {
  /** Field path from the top of the document; empty for the whole document. */
  path: string;
  message: string;
}

/** Issues listed in the message; the rest are counted. */
const SHOWN_ISSUES = 12;

/**
 * A data file phasewise reads but does not own is malformed: an outcome table for `policy simulate`, an eval's
 * gate accuracy. Carries every issue found, each with its field path, so one fix-up pass is enough.
 */
export class DataFileError extends PhasewiseError {
  readonly file: string;
  readonly issues: DataFileIssue[];
  constructor(file: string, what: string, issues: DataFileIssue[], options: { hint?: string } = {}) {
    const line = (issue: DataFileIssue) => `${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
    const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => `  ${line(issue)}`);
    const more = issues.length > SHOWN_ISSUES ? [`  … and ${issues.length - SHOWN_ISSUES} more`] : [];
    super(
      'data_invalid',
      issues.length === 1
        ? `${file}: ${line(issues[0]!)}`
        : `${issues.length} problems in ${what} ${file}:\n${[...shown, ...more].join('\n')}`,
      ExitCode.usage,
      options,
    );
    this.file = file;
    this.issues = issues;
  }
}
