/** The public API: what the CLI uses, for users who embed phasewise in their own tools. */
export * from './config/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export { openJournal } from './journal/index.js';
export type { Journal, RunRecord, StepRecord } from './journal/journal.js';
export * from './orchestrator/index.js';
export * from './policy/index.js';
export { createAiSdkModel } from './provider/ai-sdk-model.js';
export { providerModelFactories } from './provider/factories.js';
export type { LanguageModel, ModelRequest, ModelResponse, ModelUsage } from './provider/model.js';
export * from './provider/resolver.js';
export { withRetries } from './provider/retry.js';
export { createWorkspaceTools, toolsFor } from './tools/index.js';
export type { Tool, ToolContext, ToolResult } from './tools/tool.js';
export { createRedactor, type Redactor } from './util/redact.js';
