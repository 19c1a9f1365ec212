/**
 * The provider layer's public face: the resolver, retries, pricing and key checks, the model interface. The SDK
 * adapters, which load every provider's SDK, have their own face (adapters/index.ts) so that commands that never
 * call a model start without them.
 */
export { apiKeyEnvOf } from './api-key-env.js';
export { memoryAdmissions } from './memory-admissions.js';
export type { LanguageModel, ModelRequest, ModelResponse, ModelUsage } from './model.js';
export * from './rate-limit.js';
export { withRateLimit } from './rate-limited-model.js';
export * from './resolver.js';
export { withRetries } from './retry.js';
export { type ModelProblem, unpricedModel } from './unpriced-model.js';
