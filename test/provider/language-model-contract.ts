/**
 * The contract every `LanguageModel` keeps (STYLE §11), whatever stands behind it: the scripted model, or the AI
 * SDK adapter talking to a server. Implementations are given scenarios and must answer them the same way.
 */
import { describe, expect, it } from 'vitest';
import type { LanguageModel, ModelRequest } from '../../src/provider/model.js';

/** What the model behind the implementation is scripted to do for the one request of a test. */
export type Scenario =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; name: string; input: Record<string, unknown> }
  | { kind: 'hang' };

export interface ContractSubject {
  model: LanguageModel;
  close(): Promise<void>;
}

export type SubjectFactory = (scenario: Scenario) => Promise<ContractSubject>;

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
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

async function using<T>(subject: ContractSubject, use: (model: LanguageModel) => Promise<T>): Promise<T> {
  try {
    return await use(subject.model);
  } finally {
    await subject.close();
  }
}

export function describeLanguageModelContract(name: string, factory: SubjectFactory): void {
  describe(`LanguageModel contract: ${name}`, () => {
    it('answers text, with a stop finish reason and whole-number usage', async () => {
      const response = await using(await factory({ kind: 'text', text: 'Hello there.' }), (model) =>
        model.generate(request()),
      );
      expect(response.content).toEqual([{ type: 'text', text: 'Hello there.' }]);
      expect(response.finishReason.unified).toBe('stop');
      for (const value of [
        response.usage.inputNoCache,
        response.usage.cacheRead,
        response.usage.cacheWrite,
        response.usage.output,
        response.usage.reasoning,
      ]) {
        expect(Number.isInteger(value) && value >= 0).toBe(true);
      }
      expect(
        response.usage.inputNoCache + response.usage.cacheRead + response.usage.cacheWrite,
      ).toBeGreaterThan(0);
      expect(response.usage.output).toBeGreaterThan(0);
      expect(response.usage.output).toBeLessThanOrEqual(256);
    });

    it('calls a tool with parsed input and a tool-calls finish reason', async () => {
      const scenario = { kind: 'tool-call', name: 'read', input: { path: 'src/a.ts' } } as const;
      const response = await using(await factory(scenario), (model) => model.generate(request()));
      const calls = response.content.filter((part) => part.type === 'tool-call');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ toolName: 'read', input: { path: 'src/a.ts' } });
      expect(typeof (calls[0] as { toolCallId: string }).toolCallId).toBe('string');
      expect(response.finishReason.unified).toBe('tool-calls');
    });

    it('stops at once when its AbortSignal fires, rejecting with the signal’s reason', async () => {
      const controller = new AbortController();
      const reason = new Error('phase timed out');
      setTimeout(() => controller.abort(reason), 50);
      const started = Date.now();
      const outcome = await using(await factory({ kind: 'hang' }), (model) =>
        model.generate(request({ abortSignal: controller.signal })).catch((error: unknown) => error),
      );
      expect(outcome).toBe(reason);
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });
}
