/**
 * Model calls a kill cut off. The journal marks a step `reexecuted` when an earlier execution started and never
 * recorded a result: for a model call, that earlier request was in flight when the process died, and the provider
 * may well have billed it (input is paid once a request is accepted, output as it streams). Its usage never
 * reached phasewise, so it is not in the spent figure; the best estimate of it is the re-run call's own recorded
 * usage — the same prompt, sent again — priced as that call was. It is an estimate, shown apart from the spent
 * figure and never added to it: the output of the lost call may have been shorter (cut off) or longer than the
 * re-run's, and a step killed twice is counted once (the journal keeps a flag, not a count).
 * Calls started and not yet re-run (the run is still interrupted) are counted but not estimated.
 */
import { ledgerPhase } from '../budget/ledger.js';
import type { Journal, StepRecord, UnfinishedStep } from '../journal/journal.js';
import { billedStep } from './billed-usage.js';
import { addTokens, noCutOff, type RunSummary } from './summary-types.js';

/** Step kinds that are one model call each (a billed failure is journaled under a fresh key, never re-run). */
const modelCallKinds = new Set(['model']);

/** Sets every phase's and the run's `cutOff`, and the run's lists of re-executed and unfinished steps. */
export function applyCutOffCalls(
  summary: RunSummary,
  steps: StepRecord[],
  unfinished: UnfinishedStep[],
  /** False while the run is live: its unfinished steps are in flight, not cut off. */
  runEnded: boolean,
  journal: Pick<Journal, 'location'>,
): void {
  summary.cutOff = noCutOff();
  for (const phase of summary.phases) phase.cutOff = noCutOff();
  const phaseOf = (phaseId: string | null) =>
    phaseId === null ? undefined : summary.phases.find((phase) => phase.id === ledgerPhase(phaseId));
  for (const step of steps) {
    if (step.reexecuted !== true || !modelCallKinds.has(step.kind)) continue;
    const { usage } = billedStep(journal, step);
    for (const into of [summary.cutOff, phaseOf(step.phaseId)?.cutOff]) {
      if (into === undefined) continue;
      into.calls += 1;
      into.estimatedCostUsd += step.costUsd;
      if (usage !== undefined) addTokens(into.estimatedTokens, usage);
    }
  }
  for (const step of unfinished) {
    if (!runEnded || !modelCallKinds.has(step.kind)) continue;
    summary.cutOff.notRerun += 1;
    const phase = phaseOf(step.phaseId);
    if (phase !== undefined) phase.cutOff.notRerun += 1;
  }
  summary.reexecutedSteps = steps.filter((step) => step.reexecuted === true).map((step) => step.key);
  summary.unfinishedSteps = unfinished.map((step) => step.key);
}
