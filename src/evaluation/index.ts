/** `phasewise eval`: a task set run under several policies, each run checked by its hidden check. */

export type { ComparedRun } from './compare-measure.js';
export { measureRun } from './compare-measure.js';
export { buildComparison, type Comparison } from './compare-report.js';
export { type CompareSource, compareSource } from './compare-source.js';
export type { PolicyComparison } from './comparison.js';
export { type EvalEstimate, estimateEval } from './eval-estimate.js';
export { writeEvalOutputs } from './eval-outputs.js';
export { accuracyOf, type GateAccuracy, type GateAccuracyFile, gateAccuracy } from './gate-accuracy.js';
export { runHiddenCheck } from './hidden-check.js';
export { countMisroutes, type MisrouteCount } from './misroutes.js';
export { type OutcomeTable, outcomeTable } from './outcome-table.js';
export { knownPolicyNames, type Policy, parsePolicyList, pinnedToTier, resolvePolicy } from './policies.js';
export { comparisonMarkdown, comparisonTerminalText } from './render-compare.js';
export { comparisonTerminal } from './render-comparison.js';
export { runCompare } from './run-compare.js';
export { type EvalRuns, runEval } from './run-eval.js';
export type { EvalServices, RunParts } from './run-one.js';
export { meanInterval, wilsonInterval } from './statistics.js';
export { shortHash } from './worktrees.js';
