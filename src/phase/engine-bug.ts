/**
 * A phase ends `failed` when its work fails — a provider's error, a check that could not run, git refusing — and
 * that is a phase outcome the run reports. A programming error (a TypeError, a RangeError, …) thrown inside it is
 * a bug in phasewise instead: it is not dressed as how the phase ended but propagates as the engine failure it is
 * (the run aborts its other phases, waits for them and releases its lock; the CLI reports an internal error).
 */
import { isPhasewiseError } from '../errors/index.js';

const PROGRAMMING_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

export function isEngineBug(error: unknown): boolean {
  return !isPhasewiseError(error) && PROGRAMMING_ERRORS.some((kind) => error instanceof kind);
}
