/**
 * The script the fake LLM server answers from, as a zod schema (the single source of the types): conversations
 * are chosen by what the request says, turns by how many assistant messages it already holds — never by global
 * call order, so parallel or retried calls still get the answer meant for them.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';

const statusFaultSchema = z
  .object({
    kind: z.literal('status'),
    status: z.literal([400, 401, 402, 403, 404, 408, 409, 413, 429, 500, 502, 503, 504, 529]),
    /** Sent as the `retry-after` header (seconds). */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    /** Sent as the `retry-after` header verbatim (an HTTP date, a malformed value); wins over retryAfterSeconds. */
    retryAfter: z.string().optional(),
    /** Sent as the `retry-after-ms` header verbatim (OpenAI). */
    retryAfterMs: z.string().optional(),
    /** The error's type (Anthropic) or type and code (OpenAI) instead of the status's usual one, e.g. `insufficient_quota`. */
    errorType: z.string().optional(),
    /** The error's message instead of the status's usual one (a proxy echoing the request's key, say). */
    message: z.string().optional(),
    /** `x-should-retry` (both APIs' SDKs obey it over the status); by default `true` on retryable statuses. */
    shouldRetry: z.boolean().optional(),
  })
  .strict();

const afterEvents = z.number().int().nonnegative();

/**
 * A fault. On a non-streaming request the stream faults become: `stream-error` the API's overload status
 * (Anthropic 529, OpenAI 500), `reset` a dropped connection, `stall` no answer at all.
 */
const faultSchema = z.discriminatedUnion('kind', [
  statusFaultSchema,
  /** A 200 stream, `afterEvents` events, then the API's in-stream error (Anthropic `event: error`). */
  z
    .object({
      kind: z.literal('stream-error'),
      afterEvents,
      /**
       * OpenAI only: `openai` (a bare `{"error": …}` chunk, the default) or `openrouter` (the error beside
       * `choices`, then `[DONE]`), which @ai-sdk/openai-compatible reports and @ai-sdk/openai silently drops.
       */
      shape: z.enum(['openai', 'openrouter']).optional(),
      /** Anthropic only: the error event's type (default `overloaded_error`). */
      errorType: z.enum(['overloaded_error', 'api_error']).optional(),
    })
    .strict(),
  /** A 200 stream, `afterEvents` events, then the socket is destroyed. */
  z.object({ kind: z.literal('reset'), afterEvents }).strict(),
  /**
   * A 200 stream, `afterEvents` events, then the response ends cleanly — no finish, no `[DONE]`, no error (a proxy
   * that gave up). On a non-streaming request: half the JSON body.
   */
  z.object({ kind: z.literal('truncate'), afterEvents }).strict(),
  /** A 200 stream, `afterEvents` events, then nothing until the client aborts or the server closes. */
  z.object({ kind: z.literal('stall'), afterEvents }).strict(),
]);

const turnSchema = z
  .object({
    text: z.string().optional(),
    toolCalls: z
      .array(z.object({ id: z.string().optional(), name: z.string().min(1), input: z.unknown() }).strict())
      .optional(),
    /** Reported token counts; by default a deterministic estimate (4 characters a token). */
    usage: z
      .object({
        input: z.number().int().nonnegative().optional(),
        output: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    stop: z.enum(['end', 'length']).optional(),
    /** Before a JSON answer or an error status, and between the events of a stream. */
    delayMs: z.number().nonnegative().optional(),
    /** Served instead of the answer for the first `times` (default 1) requests of this turn, in order. */
    faults: z
      .array(z.object({ fault: faultSchema, times: z.number().int().positive().optional() }).strict())
      .optional(),
  })
  .strict();

const conversationSchema = z
  .object({
    name: z.string().min(1),
    /** Every string must occur in the system prompt + the user messages before the first answer; the first matching conversation wins. */
    match: z.array(z.string()),
    /** Turn N answers a request holding N-1 assistant messages. */
    turns: z.array(turnSchema).min(1),
  })
  .strict();

export const fakeLlmScriptSchema = z.object({ conversations: z.array(conversationSchema) }).strict();

export type FakeLlmScript = z.infer<typeof fakeLlmScriptSchema>;
export type FakeConversation = z.infer<typeof conversationSchema>;
export type FakeTurn = z.infer<typeof turnSchema>;
export type FakeFault = z.infer<typeof faultSchema>;
export type FakeToolCall = NonNullable<FakeTurn['toolCalls']>[number];

/** A script file (YAML or JSON), validated with the file named in any error. */
export function loadFakeLlmScript(file: string): FakeLlmScript {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the fake LLM script ${file}: ${(error as Error).message}`);
  }
  const parsed = fakeLlmScriptSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new UsageError(`fake LLM script ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

export function parseFakeLlmScript(script: unknown): FakeLlmScript {
  const parsed = fakeLlmScriptSchema.safeParse(script);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new UsageError(`fake LLM script: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
