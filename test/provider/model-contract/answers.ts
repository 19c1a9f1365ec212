/** A single answer: text, a tool call, one cut at the output limit, and a call stopped by its signal. */
import { expect, it } from 'vitest';
import { contractRequest as request, type SubjectFactory, using } from './subject.js';

export function describeAnswerCases(factory: SubjectFactory): void {
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

  it('stops an answer longer than maxOutputTokens there, with a length finish reason', async () => {
    const scenario = { kind: 'text', text: 'word '.repeat(200).trim() } as const;
    const response = await using(await factory(scenario), (model) =>
      model.generate(request({ maxOutputTokens: 10 })),
    );
    expect(response.finishReason.unified).toBe('length');
    expect(response.usage.output).toBeGreaterThan(0);
    expect(response.usage.output).toBeLessThanOrEqual(10);
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
}
