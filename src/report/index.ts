export * from './run-summary.js';
