/** Shared by the fake LLM server tests: the three real clients pointed at a fake server, and SSE parsing. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { jsonSchema, tool } from 'ai';
import { afterEach } from 'vitest';
import { type FakeLlmScript, type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';

// The AI SDK warns on the console about model ids it does not know; the fake server accepts any.
globalThis.AI_SDK_LOG_WARNINGS = false;

export const anthropicModelId = 'claude-sonnet-4-5-20250929';
export const openAiModelId = 'gpt-4o-mini-2024-07-18';

const started: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** Starts a fake server that is closed after the current test. */
export async function fakeServer(
  script: FakeLlmScript,
  options: { cacheMinTokens?: number; now?: () => number; apiKey?: string } = {},
): Promise<FakeLlmServer> {
  const server = await startFakeLlmServer({ script, ...options });
  started.push(server);
  return server;
}

export type ClientKind = 'anthropic' | 'openai' | 'openai-compatible';
export const clientKinds: ClientKind[] = ['anthropic', 'openai', 'openai-compatible'];

export function modelFor(kind: ClientKind, server: FakeLlmServer) {
  if (kind === 'anthropic') {
    return createAnthropic({ baseURL: server.anthropicBaseUrl, apiKey: 'test-anthropic-key' })(
      anthropicModelId,
    );
  }
  if (kind === 'openai')
    return createOpenAI({ baseURL: server.openaiBaseUrl, apiKey: 'test-openai-key' }).chat(openAiModelId);
  return createOpenAICompatible({
    name: 'local',
    baseURL: server.openaiBaseUrl,
    apiKey: 'test-local-key',
    includeUsage: true,
  }).chatModel('qwen2.5-coder');
}

export const readFileTool = {
  read_file: tool({
    description: 'Read a file',
    inputSchema: jsonSchema<{ path: string; lines?: number[] }>({
      type: 'object',
      properties: { path: { type: 'string' }, lines: { type: 'array', items: { type: 'number' } } },
      required: ['path'],
    }),
  }),
};

export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Splits an SSE body into events (comment lines dropped), keeping each `data:` payload verbatim. */
export function parseSse(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n').filter((line) => !line.startsWith(':'));
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      return { event, data };
    })
    .filter((event) => event.event !== undefined || event.data !== '');
}

export function readCapture(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'wire-captures', name), 'utf8');
}

/** POSTs a JSON body and returns status, headers and body text (for byte-level checks). */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
