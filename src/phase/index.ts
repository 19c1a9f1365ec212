export * from './complexity.js';
export * from './escalation.js';
export * from './handoff.js';
export type { FailedOutcome, PassedOutcome, PhaseOutcome, StoppedOutcome } from './phase-outcome.js';
export * from './phase-services.js';
export * from './phase-spec.js';
export * from './prompt.js';
export * from './rework-policy.js';
export * from './run-phase.js';
