export * from './complexity.js';
export * from './escalation.js';
export * from './handoff.js';
export * from './phase-context.js';
export * from './prompt.js';
export * from './run-phase.js';
