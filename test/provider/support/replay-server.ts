/**
 * A replay server on 127.0.0.1: each request gets the next queued answer, served byte for byte — a recorded
 * capture (its status from the file name, its headers from `<name>.headers.json` where one exists), an inline
 * answer, a stall (before or after the headers), or a reset connection. Every request is recorded. A request with nothing queued is answered
 * 599 and counted as unexpected, so a test that makes one call too many fails loudly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

export const CAPTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'wire-captures');

export interface InlineAnswer {
  kind: 'inline';
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** Sends the status, headers and `body` bytes (possibly empty), then sends nothing more and keeps the socket open. */
export interface StallAnswer {
  kind: 'stall';
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** Sends the status, headers and `body` bytes, then destroys the socket (a connection reset mid-stream). */
export interface ResetAnswer {
  kind: 'reset';
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** Never answers: no status, no headers. */
export interface HangAnswer {
  kind: 'hang';
}

export type Answer = InlineAnswer | StallAnswer | ResetAnswer | HangAnswer;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: unknown;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Requests that arrived with nothing queued. */
  readonly unexpected: RecordedRequest[];
  enqueue(...answers: Answer[]): void;
  /** Answers not yet served. */
  pending(): number;
  /** Forgets queued answers and recorded requests (between tests). */
  reset(): void;
  close(): Promise<void>;
}

/** Headers a recorded dump carries that describe the original connection, not the body we serve. */
const CONNECTION_HEADERS = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive']);

const CONTENT_TYPES: Record<string, string> = {
  '.sse': 'text/event-stream',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
};

/** The answer recorded in a capture file: exact bytes, status from `-error-<status>-` in the name, else 200. */
export function capture(name: string): InlineAnswer {
  const file = join(CAPTURES, name);
  const body = readFileSync(file);
  const status = Number(/-error-(\d{3})-/.exec(basename(name))?.[1] ?? 200);
  const extension = /\.[a-z]+$/.exec(name)?.[0] ?? '';
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
  };
  const headersFile = file.replace(/\.[a-z]+$/, '.headers.json');
  if (existsSync(headersFile)) {
    const recorded = JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string>;
    for (const [key, value] of Object.entries(recorded)) {
      if (!CONNECTION_HEADERS.has(key.toLowerCase())) headers[key.toLowerCase()] = value;
    }
  }
  return { kind: 'inline', status, headers, body };
}

export function captureText(name: string): string {
  return readFileSync(join(CAPTURES, name), 'utf8');
}

export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): InlineAnswer {
  return {
    kind: 'inline',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export async function startReplayServer(): Promise<ReplayServer> {
  const queue: Answer[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  const stalled = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    void readRequest(request).then((recorded) => {
      requests.push(recorded);
      const answer = queue.shift();
      if (answer === undefined) {
        unexpected.push(recorded);
        response.writeHead(599, { 'content-type': 'text/plain' }).end('replay server: no answer queued');
        return;
      }
      serve(answer, response, stalled);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    enqueue: (...answers) => queue.push(...answers),
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      unexpected.length = 0;
    },
    close: async () => {
      for (const response of stalled) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(answer: Answer, response: ServerResponse, stalled: Set<ServerResponse>): void {
  if (answer.kind === 'hang') {
    stalled.add(response);
    response.on('close', () => stalled.delete(response));
    return;
  }
  response.writeHead(answer.status, answer.headers ?? {});
  if (answer.kind === 'inline') {
    response.end(answer.body);
    return;
  }
  response.flushHeaders();
  if (answer.body.length > 0) response.write(answer.body);
  if (answer.kind === 'reset') {
    // Let the bytes leave before the reset, as a dropped upstream connection would.
    setTimeout(() => response.socket?.resetAndDestroy(), 20);
    return;
  }
  stalled.add(response);
  response.on('close', () => stalled.delete(response));
}

async function readRequest(request: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let body: unknown = rawBody;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    // Not JSON: keep the text.
  }
  return { method: request.method ?? '', path: request.url ?? '', headers: request.headers, rawBody, body };
}
