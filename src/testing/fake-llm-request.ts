/**
 * What the fake LLM server reads from a request: which API it speaks, the key it carries, and the few facts the
 * script is matched on (system prompt + opening user messages, count of assistant messages, streaming options).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export type FakeApi = 'anthropic' | 'openai';

export interface RecordedRequest {
  api: FakeApi;
  method: string;
  path: string;
  /** Lower-case names; `authorization` and `x-api-key` values replaced by `<redacted>`. */
  headers: Record<string, string>;
  /** The parsed JSON body (the raw text when it was not JSON). */
  body: unknown;
  at: number;
  conversation?: string;
  turn?: number;
  /**
   * What was served instead of the answer: a scripted fault (`status 429`, `stream-error after 3`,
   * `reset after 0`, `stall after 2`) or a refusal (`missing api key`, `wrong api key`, `invalid request`,
   * `unexpected`).
   */
  fault?: string;
  /**
   * The usage the answer reported (the fake server's own billing of this request), when an answer was served;
   * on a stream cut short by a fault, what the full answer would have reported.
   */
  usage?: { input: number; cacheRead: number; cacheWrite5m: number; cacheWrite1h: number; output: number };
  /**
   * Milliseconds from the request's arrival to the end of its response — the server's own time with it, which
   * the benchmarks take as model time. Set when the response has been handed to the socket.
   */
  servedMs?: number;
}

export interface RequestView {
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** System prompt + the user messages before the first answer, which conversations are matched against. */
  matchText: string;
  assistantMessages: number;
  /** `max_tokens` (OpenAI: `max_completion_tokens` first). */
  maxTokens: number | undefined;
}

const secretHeaders = new Set(['authorization', 'x-api-key', 'api-key']);

export function apiOfPath(path: string): FakeApi | undefined {
  const pathname = path.split('?')[0]!.replace(/\/+$/, '');
  if (pathname === '/v1/messages') return 'anthropic';
  if (pathname === '/v1/chat/completions') return 'openai';
  return undefined;
}

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = secretHeaders.has(name) ? '<redacted>' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The key as each API reads it: Anthropic `x-api-key` (or a bearer token), OpenAI `Authorization: Bearer`. */
export function apiKeyOf(api: FakeApi, headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(\S+)/i.exec(headers.authorization ?? '')?.[1];
  if (api === 'anthropic') {
    const key = headers['x-api-key'];
    return (typeof key === 'string' && key !== '' ? key : undefined) ?? bearer;
  }
  return bearer;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The text of a message content or Anthropic system value: a string, or the text of its text blocks. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((block): block is Json => isObject(block) && typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('\n');
}

/** The request's view, or a message saying why the body is not a request of that API. */
export function viewOf(api: FakeApi, body: unknown): RequestView | string {
  if (!isObject(body)) return 'the body is not a JSON object';
  if (typeof body.model !== 'string') return 'model: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  const messages = body.messages.filter(isObject);
  const system =
    api === 'anthropic'
      ? [textOf(body.system)]
      : messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content));
  // The opening user turn: every user message before the first answer (a prompt may come in more than one).
  const firstAnswer = messages.findIndex((m) => m.role === 'assistant');
  const opening = messages
    .slice(0, firstAnswer < 0 ? messages.length : firstAnswer)
    .filter((m) => m.role === 'user');
  const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage: streamOptions.include_usage === true,
    matchText: [...system, ...opening.map((m) => textOf(m.content))].join('\n'),
    assistantMessages: messages.filter((m) => m.role === 'assistant').length,
    maxTokens: [body.max_completion_tokens, body.max_tokens].find((v): v is number => typeof v === 'number'),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The parsed JSON body, or the raw text when it is not JSON (recorded as it came). */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
