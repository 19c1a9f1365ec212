/** The configuration: `phasewise.yaml` in, a fully resolved `ResolvedWorkflow` out. */
export { builtinAgents } from './builtin-agents.js';
export { builtinWorkflow } from './builtin-workflow.js';
export { decodeUtf8, invalidUtf8Message } from './decode-text.js';
export { DEFAULT_DATABASE_URL_ENV } from './defaults.js';
export { parseDuration } from './duration.js';
export { findConfigFile } from './find-config-file.js';
export { initTemplate } from './init-template.js';
export { configJsonSchema, renderConfigJsonSchema } from './json-schema.js';
export { type LoadWorkflowOptions, loadWorkflow } from './load-workflow.js';
export type { ModelCheck } from './model-reference.js';
export { parseMoney } from './money.js';
export type { AiSdkProviderKind, ProviderKind } from './provider-kinds.js';
export {
  PROVIDER_KIND_NAMES,
  PROVIDER_KIND_TABLE,
  type ProviderKindSpec,
  providerKindSpec,
  type RuntimeName,
} from './provider-kinds.js';
export type { RawConfig } from './schema.js';
export { DEFAULT_HIDDEN_CHECK_TIMEOUT_MS, isRepositoryUrl, loadTaskSet } from './task-set.js';
export { listTemplates, type TemplateEntry, templateText } from './template-list.js';
export type * from './types.js';
export { CONFIG_FILE_NAMES, FAN_OUT_FROM_TASK } from './vocabulary.js';
