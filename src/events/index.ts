export * from './event-base.js';
export * from './events.js';
export * from './fan-out-events.js';
export * from './statuses.js';
