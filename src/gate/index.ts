export * from './check-sections.js';
export * from './gate.js';
