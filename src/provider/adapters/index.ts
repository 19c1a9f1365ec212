/** The SDK adapters' public face: a model of any configured provider (loads every provider's SDK). */
export { createAiSdkModel } from '../ai-sdk-model.js';
export { providerModelFactories } from '../factories.js';
