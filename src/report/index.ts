export * from './build-report.js';
export * from './fan-out-text.js';
export * from './journal-summary.js';
export * from './live-status.js';
export * from './render-html.js';
export * from './render-report.js';
export * from './run-summary.js';
export * from './summary-text.js';
export type * from './summary-types.js';
