/** The public API: what the CLI uses, for users who embed phasewise in their own tools. */
export * from './config/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export { openJournal, openPostgresAdmissions } from './journal/index.js';
export type { Journal, RunRecord, StepRecord } from './journal/journal.js';
export * from './orchestrator/index.js';
export * from './policy/index.js';
export * from './provider/adapters/index.js';
export * from './provider/index.js';
export { createWorkspaceTools, toolsFor } from './tools/index.js';
export type { Tool, ToolContext, ToolResult } from './tools/tool.js';
export { createRedactor, type Redactor } from './util/redact.js';
