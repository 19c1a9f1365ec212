export * from './agent-context.js';
export * from './model-turn.js';
export * from './run-agent.js';
