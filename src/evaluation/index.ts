/** `phasewise eval`: a task set run under several policies, each run checked by its hidden check. */
export type { PolicyComparison } from './comparison.js';
export { type EvalEstimate, estimateEval } from './eval-estimate.js';
export { writeEvalOutputs } from './eval-outputs.js';
export { accuracyOf, type GateAccuracy, type GateAccuracyFile, gateAccuracy } from './gate-accuracy.js';
export { type OutcomeTable, outcomeTable } from './outcome-table.js';
export { knownPolicyNames, type Policy, parsePolicyList, pinnedToTier, resolvePolicy } from './policies.js';
export { comparisonTerminal } from './render-comparison.js';
export { type EvalRuns, runEval } from './run-eval.js';
export type { EvalServices, RunParts } from './run-one.js';
export { meanInterval, wilsonInterval } from './statistics.js';
