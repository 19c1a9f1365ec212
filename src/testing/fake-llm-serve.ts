/**
 * Serving an answer: as one JSON body, or as an SSE stream with the turn's stream fault played at its event.
 */
import type { ServerResponse } from 'node:http';
import { anthropicEvents, anthropicMessage, anthropicStreamError } from './fake-anthropic-encoder.js';
import type { FakeAnswer } from './fake-llm-answer.js';
import { errorResponse, type HttpAnswer } from './fake-llm-errors.js';
import type { FakeApi } from './fake-llm-request.js';
import { pause, type StreamFault, writeStream } from './fake-llm-stream.js';
import { openAiChunks, openAiCompletion, openAiStreamError } from './fake-openai-encoder.js';

export interface ServeOptions {
  delayMs: number;
  fault: StreamFault | undefined;
  requestId: string;
}

/** A JSON answer; stream faults on a non-streaming request: reset drops the socket, stall never answers, and
 * stream-error answers as the API's overload status (Anthropic 529, OpenAI 500). */
export async function serveJson(
  res: ServerResponse,
  closed: AbortSignal,
  api: FakeApi,
  answer: FakeAnswer,
  options: ServeOptions,
): Promise<boolean> {
  await pause(options.delayMs, closed);
  if (closed.aborted) return false;
  const { fault, requestId } = options;
  if (fault?.kind === 'reset') res.socket?.destroy();
  else if (fault?.kind === 'truncate') {
    const body = JSON.stringify(api === 'anthropic' ? anthropicMessage(answer) : openAiCompletion(answer));
    send(res, { status: 200, headers: jsonHeaders(api, requestId), body: body.slice(0, body.length / 2) });
  } else if (fault?.kind === 'stall')
    await new Promise((resolve) => closed.addEventListener('abort', resolve));
  else if (fault?.kind === 'stream-error') {
    send(res, errorResponse(api, api === 'anthropic' ? 529 : 500, { requestId, model: answer.model }));
  } else {
    const body = JSON.stringify(api === 'anthropic' ? anthropicMessage(answer) : openAiCompletion(answer));
    send(res, { status: 200, headers: jsonHeaders(api, requestId), body });
    return true;
  }
  return false;
}

export async function serveStream(
  res: ServerResponse,
  closed: AbortSignal,
  api: FakeApi,
  answer: FakeAnswer,
  options: ServeOptions & { includeUsage: boolean },
): Promise<boolean> {
  const { fault } = options;
  const events = api === 'anthropic' ? anthropicEvents(answer) : openAiChunks(answer, options.includeUsage);
  const errorEvents =
    fault?.kind !== 'stream-error'
      ? []
      : api === 'anthropic'
        ? [anthropicStreamError(answer, fault.errorType)]
        : openAiStreamError(answer, fault.shape ?? 'openai');
  const headers = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    [api === 'anthropic' ? 'request-id' : 'x-request-id']: options.requestId,
  };
  return writeStream(res, { headers, events, delayMs: options.delayMs, fault, errorEvents }, closed);
}

function jsonHeaders(api: FakeApi, requestId: string): Record<string, string> {
  return api === 'anthropic'
    ? { 'content-type': 'application/json', 'request-id': requestId }
    : { 'content-type': 'application/json', 'x-request-id': requestId };
}

export function send(res: ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}
