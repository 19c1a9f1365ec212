export type { CustomCheck, CustomCheckInput } from './check-custom.js';
export * from './check-sections.js';
export * from './findings.js';
export * from './gate.js';
export * from './gate-check-error.js';
export * from './judge-prompt.js';
export { globToRegExp, matchesAnyGlob } from './path-glob.js';
export * from './work-items.js';
