export * from './config-error.js';
export * from './data-file-error.js';
export * from './errors.js';
export * from './phasewise-error.js';
export * from './worktree-error.js';
