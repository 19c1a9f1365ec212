/** Test utilities, exported so users can test their own workflows without network or API keys. */

export { CONCURRENCY_PATH, type FakeLlmConcurrency } from './fake-llm-handler.js';
export type { FakeApi, RecordedRequest } from './fake-llm-request.js';
export type {
  FakeConversation,
  FakeFault,
  FakeLlmScript,
  FakeToolCall,
  FakeTurn,
} from './fake-llm-script.js';
export { loadFakeLlmScript } from './fake-llm-script.js';
export * from './fake-llm-server.js';
export * from './model-script.js';
export * from './scripted-model.js';
