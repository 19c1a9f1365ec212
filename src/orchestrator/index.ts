export * from './run-workflow.js';
export * from './start-run.js';
