/** Exit codes of the CLI; errors carry theirs so the CLI never has to guess. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  halted: 3,
  budget: 4,
  timeout: 5,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface PhasewiseErrorOptions {
  hint?: string;
  runId?: string;
  cause?: unknown;
}

/** Base of every error phasewise throws on purpose: a stable `code`, an exit code, an optional hint. */
export class PhasewiseError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  runId: string | undefined;

  constructor(code: string, message: string, exitCode: ExitCodeValue, options: PhasewiseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.runId = options.runId;
  }
}

export function isPhasewiseError(value: unknown): value is PhasewiseError {
  return value instanceof PhasewiseError;
}
