import { ExitCode, PhasewiseError, type PhasewiseErrorOptions } from '../errors/index.js';

/**
 * A check that could not reach a verdict: the judge gave no valid answer, a custom module threw, the command
 * could not start, the workspace changes were not measured. Not a low score — nobody judged the report — so it
 * ends the attempt as an error instead of sending feedback the agent could never act on.
 */
export class GateCheckError extends PhasewiseError {
  readonly check: string;
  readonly kind: string;
  constructor(check: { name: string; kind: string }, message: string, options: PhasewiseErrorOptions = {}) {
    super(
      'gate_check_error',
      `gate check \`${check.name}\` (${check.kind}): ${message}`,
      ExitCode.internal,
      options,
    );
    this.check = check.name;
    this.kind = check.kind;
  }
}
