/** Policy simulation over per-task outcomes (`phasewise policy simulate`), and the files it reads. Pure. */
export {
  GATE_ACCURACY_FILE,
  GATE_ACCURACY_VERSION,
  type GateAccuracy,
  type GateAccuracyFigures,
  gateAccuracyFigures,
  parseGateAccuracy,
} from './gate-accuracy.js';
export { percentile, percentileRange, wilsonInterval, Z_95 } from './intervals.js';
export { type ModelResult, type OutcomeTable, parseOutcomeTable } from './outcome-table.js';
export type { ConfiguredPhase } from './policy-plans.js';
export type { Verifier } from './replay.js';
export {
  DEFAULT_SEED,
  DEFAULT_TRIALS,
  type Estimate,
  MAX_TRIALS,
  type PolicySimulation,
  type SimulationOptions,
  type SimulationResult,
  simulatePolicies,
} from './simulate.js';
export { parseTierMap, type TierMapping, type TierModel } from './tier-mapping.js';
