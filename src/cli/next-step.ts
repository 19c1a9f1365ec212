import { asInvoked } from './invocation.js';

/**
 * What a person can do next with a run that has stopped, by its status, as a command they can paste (spelled the
 * way they invoked phasewise); undefined when there is nothing to do.
 */
export function nextStep(status: string, runId: string): string | undefined {
  const step = commandFor(status, runId);
  return step === undefined ? undefined : asInvoked(step);
}

function commandFor(status: string, runId: string): string | undefined {
  switch (status) {
    case 'halted':
      return `answer with: phasewise approve ${runId}  |  phasewise reject ${runId} --feedback "…"  |  phasewise abort ${runId}`;
    case 'succeeded':
    case 'aborted':
    case 'no_go':
    case 'running':
      return undefined;
    default:
      // failed, interrupted, budget_exhausted, timed_out: the journal keeps what was done; resume goes on.
      return `resume with: phasewise resume ${runId}`;
  }
}
