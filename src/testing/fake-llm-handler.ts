/**
 * One request to the fake LLM server, start to finish: count it in flight, record it, check its key and body, pick
 * the scripted turn, then serve the turn's next fault or its answer (JSON or SSE) in the API's own shape.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AnthropicPromptCache } from './fake-anthropic-cache.js';
import { anthropicRequestId } from './fake-anthropic-encoder.js';
import { buildAnswer, type PromptUsage } from './fake-llm-answer.js';
import { type ErrorOptions, errorResponse, missingKeyMessage } from './fake-llm-errors.js';
import {
  apiKeyOf,
  apiOfPath,
  type FakeApi,
  parseJson,
  type RecordedRequest,
  type RequestView,
  readBody,
  redactHeaders,
  viewOf,
} from './fake-llm-request.js';
import { send, serveJson, serveStream } from './fake-llm-serve.js';
import { closedSignal, pause } from './fake-llm-stream.js';
import { describeFault, type TurnBook } from './fake-llm-turns.js';
import type { OpenAiPromptCache } from './fake-openai-cache.js';
import { openAiRequestId } from './fake-openai-encoder.js';

export interface HandlerState {
  turns: TurnBook;
  anthropicCache: AnthropicPromptCache;
  openAiCache: OpenAiPromptCache;
  requests: RecordedRequest[];
  unexpected: string[];
  apiKey: string | undefined;
  requireApiKey: boolean;
  now: () => number;
  requestCount: number;
  /** Added before every scripted answer or fault, like a real API's time to first token. */
  latencyMs: number;
  /** API requests being served now, and the most seen at once (rate-limit tests read it). */
  concurrency: FakeLlmConcurrency;
}

export interface FakeLlmConcurrency {
  inFlight: number;
  maxInFlight: number;
}

/** `GET /_fake/concurrency`: the counts as JSON, for a test whose server runs in another process. */
export const CONCURRENCY_PATH = '/_fake/concurrency';

/** One API request in flight: where to answer, what was recorded, and how to refuse it. */
interface Exchange {
  state: HandlerState;
  res: ServerResponse;
  closed: AbortSignal;
  api: FakeApi;
  body: unknown;
  recorded: RecordedRequest;
  seed: string;
  requestId: string;
  /** `POST /v1/messages`, for messages about this request. */
  label: string;
}

export async function handleRequest(
  state: HandlerState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const arrived = performance.now();
  if (req.method === 'GET' && req.url === CONCURRENCY_PATH) {
    const body = JSON.stringify(state.concurrency);
    return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body });
  }
  countInFlight(state.concurrency, res);
  const closed = closedSignal(res);
  const raw = await readBody(req);
  const label = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
  const api = apiOfPath(req.url ?? '/');
  const seed = `request#${++state.requestCount}`;
  if (api === undefined || req.method !== 'POST') {
    state.unexpected.push(`${label}: not an endpoint of the fake LLM server`);
    const message = `fake LLM server: no endpoint ${label} (POST /v1/messages, POST /v1/chat/completions)`;
    return send(res, errorResponse('openai', 404, { requestId: openAiRequestId(seed), model: '', message }));
  }
  const body = parseJson(raw);
  const headers = redactHeaders(req.headers);
  const recorded: RecordedRequest = {
    api,
    method: req.method,
    path: req.url!,
    headers,
    body,
    at: state.now(),
  };
  state.requests.push(recorded);
  res.once('finish', () => {
    recorded.servedMs = performance.now() - arrived;
  });
  const requestId = api === 'anthropic' ? anthropicRequestId(seed) : openAiRequestId(seed);
  const exchange: Exchange = { state, res, closed, api, body, recorded, seed, requestId, label };
  const view = checkRequest(exchange, req.headers);
  if (view !== undefined) await serveTurn(exchange, view);
}

/** From arrival until the answer is over (sent, failed or dropped). */
function countInFlight(concurrency: FakeLlmConcurrency, res: ServerResponse): void {
  concurrency.inFlight += 1;
  concurrency.maxInFlight = Math.max(concurrency.maxInFlight, concurrency.inFlight);
  res.once('close', () => {
    concurrency.inFlight -= 1;
  });
}

function fail(
  exchange: Exchange,
  status: number,
  fault: string,
  options: Pick<
    ErrorOptions,
    'message' | 'retryAfterSeconds' | 'retryAfter' | 'retryAfterMs' | 'errorType' | 'shouldRetry'
  > = {},
): void {
  exchange.recorded.fault = fault;
  const model = String((exchange.body as { model?: unknown } | null)?.model);
  send(
    exchange.res,
    errorResponse(exchange.api, status, { requestId: exchange.requestId, model, ...options }),
  );
}

/** Refuses what the real API would (key, body, too many cache breakpoints); else the request's view. */
function checkRequest(exchange: Exchange, headers: IncomingHttpHeaders): RequestView | undefined {
  const { state, api, body } = exchange;
  const key = apiKeyOf(api, headers);
  const view = viewOf(api, body);
  const cacheProblem =
    api === 'anthropic' && typeof view !== 'string'
      ? AnthropicPromptCache.invalidReason(body as Json)
      : undefined;
  if (key === undefined && state.requireApiKey) {
    fail(exchange, 401, 'missing api key', { message: missingKeyMessage[api] });
  } else if (key !== undefined && state.apiKey !== undefined && key !== state.apiKey) {
    fail(exchange, 401, 'wrong api key');
  } else if (api === 'anthropic' && headers['anthropic-version'] === undefined) {
    fail(exchange, 400, 'invalid request', { message: 'anthropic-version: header is required' });
  } else if (typeof view === 'string') {
    state.unexpected.push(`${exchange.label}: invalid request body: ${view}`);
    fail(exchange, 400, 'invalid request', { message: view });
  } else if (cacheProblem !== undefined) {
    fail(exchange, 400, 'invalid request', { message: cacheProblem });
  } else {
    return view;
  }
  return undefined;
}

/** Picks the scripted turn, then serves its next fault or its answer. */
async function serveTurn(exchange: Exchange, view: RequestView): Promise<void> {
  const { state, api, recorded, closed, res } = exchange;
  const selection = state.turns.select(view.matchText, view.assistantMessages);
  if ('unexpected' in selection) {
    if (selection.conversationName !== undefined) {
      Object.assign(recorded, { conversation: selection.conversationName, turn: selection.turnNumber });
    }
    state.unexpected.push(`${exchange.label}: ${selection.unexpected}`);
    return fail(exchange, 500, 'unexpected', { message: `fake LLM server: ${selection.unexpected}` });
  }
  const { conversation, turnNumber, turn } = selection;
  Object.assign(recorded, { conversation: conversation.name, turn: turnNumber });
  const fault = state.turns.nextFault(conversation, turnNumber, turn);
  await pause(state.latencyMs, closed);
  const delayMs = turn.delayMs ?? 0;
  if (fault !== undefined) recorded.fault = describeFault(fault);
  if (fault?.kind === 'status') {
    await pause(delayMs, closed);
    const { retryAfterSeconds, retryAfter, retryAfterMs, errorType, message, shouldRetry } = fault;
    return fail(exchange, fault.status, describeFault(fault), {
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      ...(retryAfter === undefined ? {} : { retryAfter }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(errorType === undefined ? {} : { errorType }),
      ...(message === undefined ? {} : { message }),
      ...(shouldRetry === undefined ? {} : { shouldRetry }),
    });
  }
  const answer = buildAnswer(turn, {
    api,
    model: view.model,
    turnSeed: `${conversation.name}#${turnNumber}`,
    requestSeed: exchange.seed,
    now: state.now(),
    prompt: accountPrompt(state, api, exchange.body as Json),
    maxTokens: view.maxTokens,
  });
  recorded.usage = { ...answer.usage };
  const options = { delayMs, fault, requestId: exchange.requestId, includeUsage: view.includeUsage };
  const served = view.stream
    ? await serveStream(res, closed, api, answer, options)
    : await serveJson(res, closed, api, answer, options);
  if (served) state.turns.markAnswered(conversation, turnNumber);
}

type Json = Record<string, unknown>;

function accountPrompt(state: HandlerState, api: FakeApi, body: Json): PromptUsage {
  if (api === 'anthropic') return state.anthropicCache.account(body);
  const { prompt, cached } = state.openAiCache.account(body);
  return { input: prompt - cached, cacheRead: cached, cacheWrite5m: 0, cacheWrite1h: 0 };
}
