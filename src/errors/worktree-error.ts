import {
  ExitCode,
  type ExitCodeValue,
  PhasewiseError,
  type PhasewiseErrorOptions,
} from './phasewise-error.js';

/**
 * Why a git worktree operation stopped:
 * - `not_a_repository`: a phase fans out over work items, and the workspace is not in a git work tree;
 * - `git_failed`: a git command failed (named in the message, with git's own words);
 * - `merge_unresolved`: a merge cannot be concluded while files are unmerged or hold conflict markers;
 * - `workspace_changed`: the workspace no longer matches the commit a result was built on, so it is not applied;
 * - `governing_file`: a result would change one of the run's governing files (its configuration, its task file),
 *   so it is not applied;
 * - `invalid_name`: a run, phase or item id cannot name a worktree folder and branch.
 */
export type WorktreeErrorCode =
  | 'not_a_repository'
  | 'git_failed'
  | 'merge_unresolved'
  | 'workspace_changed'
  | 'governing_file'
  | 'invalid_name';

const EXIT_CODES: Record<WorktreeErrorCode, ExitCodeValue> = {
  not_a_repository: ExitCode.usage,
  git_failed: ExitCode.internal,
  merge_unresolved: ExitCode.halted,
  workspace_changed: ExitCode.usage,
  governing_file: ExitCode.halted,
  invalid_name: ExitCode.usage,
};

/** A git worktree operation for a fanned-out phase failed or was refused; `files` names the paths at issue. */
export class WorktreeError extends PhasewiseError {
  /** The git command that failed (`git worktree add …`), when one did. */
  readonly command: string | undefined;
  readonly files: string[];
  constructor(
    code: WorktreeErrorCode,
    message: string,
    details: { command?: string; files?: string[] } = {},
    options: PhasewiseErrorOptions = {},
  ) {
    super(code, message, EXIT_CODES[code], options);
    this.command = details.command;
    this.files = details.files ?? [];
  }
}
