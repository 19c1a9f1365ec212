/** What the LanguageModel contract hands an implementation, and what it gets back (STYLE §11). */
import type { LanguageModel, ModelRequest } from '../../../src/provider/model.js';

/** One answer of a scripted backend: text, tool calls, and the usage it reports (else estimated). */
export interface ScenarioTurn {
  text?: string;
  toolCalls?: Array<{ name: string; input: Record<string, unknown> }>;
  usage?: { input: number; output: number };
}

/** HTTP statuses a backend can be scripted to fail with. */
export type FailureStatus = 400 | 401 | 429 | 500 | 503 | 529;

/** What the model behind the implementation is scripted to do for the requests of one test. */
export type Scenario =
  | { kind: 'text'; text: string; usage?: { input: number; output: number } }
  | { kind: 'tool-call'; name: string; input: Record<string, unknown> }
  | { kind: 'hang' }
  /** Turn N answers the request whose `metadata.turn` (and count of assistant messages) says N. */
  | { kind: 'conversation'; turns: ScenarioTurn[] }
  /** The first `times` requests fail with `status`; any after them get `afterwards`. */
  | { kind: 'failure'; status: FailureStatus; times: number; afterwards: ScenarioTurn }
  /** Nothing listens where the model connects: every connection is refused. */
  | { kind: 'unreachable' };

/** Usage as the backend billed one request: what the implementation must report for it, field for field. */
export interface ServedUsage {
  inputNoCache: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

export interface ContractSubject {
  model: LanguageModel;
  /** Every request the backend received, as it saw it (a wire body, a recorded request), in order. */
  received(): unknown[];
  /** What the backend billed for each request it answered, in order; undefined when it keeps no such record. */
  served?(): ServedUsage[];
  /** The credential the model was given, which no error may show. */
  apiKey?: string;
  close(): Promise<void>;
}

export type SubjectFactory = (scenario: Scenario) => Promise<ContractSubject>;

/**
 * What an implementation cannot be asked to do, each with the reason, shown beside the skipped case: a model
 * without HTTP has no status to classify, one without a prompt cache no cache reads to report.
 */
export interface ContractLimits {
  httpErrors?: string;
  promptCache?: string;
}

export function contractRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: 'You are a careful assistant.',
    messages: [{ role: 'user', content: 'Say hello.' }],
    tools: [
      {
        name: 'read',
        description: 'reads a file',
        inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
      },
    ],
    maxOutputTokens: 256,
    abortSignal: new AbortController().signal,
    metadata: { runId: 'contract', phaseId: 'contract', attempt: 1, turn: 1 },
    ...overrides,
  };
}

export async function using<T>(
  subject: ContractSubject,
  use: (model: LanguageModel, subject: ContractSubject) => Promise<T>,
): Promise<T> {
  try {
    return await use(subject.model, subject);
  } finally {
    await subject.close();
  }
}

/** The case's title, with the reason it is skipped for this implementation when it is. */
export function titled(title: string, skipped: string | undefined): string {
  return skipped === undefined ? title : `${title} (skipped: ${skipped})`;
}
