/**
 * A fake LLM HTTP server on 127.0.0.1 (DESIGN §4, STYLE §10): it speaks the Anthropic Messages API
 * (`POST /v1/messages`) and the OpenAI Chat Completions API (`POST /v1/chat/completions`) byte-shaped like the
 * recorded real responses in test/fixtures/wire-captures, answers from a script of conversations and turns,
 * emulates both APIs' prompt caching in the usage it reports, injects faults, records every request, counts the
 * requests served at once, and fails loudly on requests it has no answer for. Point the real provider clients at it through their base URL.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { AnthropicPromptCache } from './fake-anthropic-cache.js';
import { type FakeLlmConcurrency, type HandlerState, handleRequest } from './fake-llm-handler.js';
import type { RecordedRequest } from './fake-llm-request.js';
import { type FakeLlmScript, parseFakeLlmScript } from './fake-llm-script.js';
import { TurnBook } from './fake-llm-turns.js';
import { OpenAiPromptCache } from './fake-openai-cache.js';

export interface FakeLlmServerOptions {
  script: FakeLlmScript;
  /** Default 0: any free port. */
  port?: number;
  /**
   * The smallest prefix, in estimated tokens, that Anthropic caching writes or reads; by default each model's own
   * minimum, as the real API applies it (`minimumCacheableTokens`: 4096 for Opus 4.5 and Haiku 4.5).
   */
  cacheMinTokens?: number;
  /** When set, a request carrying another key is answered 401 (invalid key). */
  apiKey?: string;
  /** Default true: a request without a key is answered 401 with the API's real "missing key" error. */
  requireApiKey?: boolean;
  /** Milliseconds added before every scripted answer or fault, like a real API's time to first token (default 0). */
  latencyMs?: number;
  /** Clock for cache lifetimes, `created` and recorded `at` (default `Date.now`). */
  now?: () => number;
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The `baseURL` for `@ai-sdk/anthropic` (`${url}/v1`). */
  anthropicBaseUrl: string;
  /** The `baseURL` for `@ai-sdk/openai` and `@ai-sdk/openai-compatible` (`${url}/v1`). */
  openaiBaseUrl: string;
  /** Every request to an API endpoint, in arrival order, keys redacted. */
  requests: RecordedRequest[];
  /** Requests the script had no answer for; each was answered with an error (500, or 400/404 for bad ones). */
  unexpected: string[];
  /**
   * API requests being served now and the most served at once since the start (or the last reset); also
   * `GET ${url}/_fake/concurrency` as JSON.
   */
  concurrency(): FakeLlmConcurrency;
  resetConcurrency(): void;
  /** Throws, listing every scripted turn whose answer was never served. */
  assertAllUsed(): void;
  /** Stops listening and destroys open connections (stalled streams included). */
  close(): Promise<void>;
}

export async function startFakeLlmServer(options: FakeLlmServerOptions): Promise<FakeLlmServer> {
  const script = parseFakeLlmScript(options.script);
  const now = options.now ?? Date.now;
  const state: HandlerState = {
    turns: new TurnBook(script),
    anthropicCache: new AnthropicPromptCache({
      ...(options.cacheMinTokens === undefined ? {} : { minTokens: options.cacheMinTokens }),
      now,
    }),
    openAiCache: new OpenAiPromptCache({ now }),
    requests: [],
    unexpected: [],
    apiKey: options.apiKey,
    requireApiKey: options.requireApiKey ?? true,
    now,
    requestCount: 0,
    latencyMs: options.latencyMs ?? 0,
    concurrency: { inFlight: 0, maxInFlight: 0 },
  };
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      state.unexpected.push(`${req.method} ${req.url}: the fake LLM server failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake LLM server failed: ${String(error)}` } }));
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    anthropicBaseUrl: `${url}/v1`,
    openaiBaseUrl: `${url}/v1`,
    requests: state.requests,
    unexpected: state.unexpected,
    concurrency: () => ({ ...state.concurrency }),
    resetConcurrency() {
      state.concurrency.maxInFlight = state.concurrency.inFlight;
    },
    assertAllUsed() {
      const unused = state.turns.unused();
      if (unused.length > 0) {
        throw new Error(
          `fake LLM server: ${unused.length} scripted turn(s) never answered:\n  ${unused.join('\n  ')}`,
        );
      }
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
