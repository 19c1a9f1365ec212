/**
 * The model contract (STYLE §1–2): what the agent loop and phases know of an LLM. It depends on nothing;
 * adapters over vendor SDKs (and the scripted model) implement it.
 */

/** Usage normalized at the edge; `raw` keeps what the provider reported. Budget code reads only the numbers. */
export interface ModelUsage {
  /** Input tokens billed at the full input price (excludes cache reads and writes). */
  inputNoCache: number;
  cacheRead: number;
  /** Cache writes; `cacheWrite1h` is the part written with a one-hour lifetime, where reported. */
  cacheWrite: number;
  cacheWrite1h?: number;
  output: number;
  /** Reasoning tokens, already included in `output` by providers that bill them as output. */
  reasoning: number;
  raw?: unknown;
}

export type UnifiedFinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'error' | 'other';

export interface FinishReason {
  unified: UnifiedFinishReason;
  raw: string | undefined;
}

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  input: unknown;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: string;
  isError: boolean;
}

export type ModelMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: Array<TextPart | ToolCallPart> }
  | { role: 'tool'; content: ToolResultPart[] };

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

/** Anthropic's two lifetimes of a prompt-cache entry, counted from its last write or read. */
export type CacheLifetime = '5m' | '1h';

export interface ModelRequest {
  system: string;
  messages: ModelMessage[];
  tools: ToolSpec[];
  /** Always set: the budget reservation is computed from it. */
  maxOutputTokens: number;
  temperature?: number;
  /**
   * How long the prompt's cache entries should live where the provider lets the caller choose (Anthropic: five
   * minutes, or an hour at a higher write price), asked as the request is sent — each try of a retried call, after
   * any wait for a rate limit — since the answer depends on when; others ignore it. Absent: five minutes.
   */
  cacheLifetime?: () => CacheLifetime;
  abortSignal: AbortSignal;
  /** Where the call sits in a run; never secret. Scripted models and fakes key their answers on it. */
  /** Where the call sits; `lane` names a fanned-out phase's lane (`item-auth`, `merge-2`) when it is in one. */
  metadata: { runId: string; phaseId: string; attempt: number; turn: number; lane?: string };
  /**
   * Told of each retry as its wait begins: the retry layer is built once per model, without the run, so the
   * caller hands in, per call, who should hear of it (the agent loop turns it into a `model-call-retry` event).
   */
  onRetry?: (retry: ModelRetry) => void;
}

/** A request as a model received it: without its behaviour (signal, retry listener), its cache lifetime as asked. */
export type SentRequest = Omit<ModelRequest, 'abortSignal' | 'onRetry' | 'cacheLifetime'> & {
  cacheLifetime?: CacheLifetime;
};

/** A failed try that the retry layer will try again, and the wait before it does. */
export interface ModelRetry {
  /** The try that failed, from 1, and how many tries there are in all. */
  try: number;
  maxTries: number;
  waitMs: number;
  /** Why, in words, for people: `rate limited by anthropic (HTTP 429)`. */
  reason: string;
  status: number | undefined;
}

export interface ModelResponse {
  content: Array<TextPart | ToolCallPart>;
  usage: ModelUsage;
  finishReason: FinishReason;
  /** The model that answered, as the provider names it. */
  modelId: string;
}

export interface LanguageModel {
  /** Provider name as configured (`anthropic`, `ollama`, `scripted`, ...). */
  readonly provider: string;
  readonly modelId: string;
  generate(request: ModelRequest): Promise<ModelResponse>;
}

export function responseText(response: Pick<ModelResponse, 'content'>): string {
  return response.content
    .filter((part): part is TextPart => part.type === 'text')
    .map((part) => part.text)
    .join('');
}
