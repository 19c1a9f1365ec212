/** Usage, per call and as the backend billed it: scripted counts exactly, and cache reads where there is a cache. */
import { expect, it } from 'vitest';
import type { ModelRequest, ModelResponse } from '../../../src/provider/model.js';
import {
  type ContractLimits,
  contractRequest as request,
  type Scenario,
  type ServedUsage,
  type SubjectFactory,
  titled,
  using,
} from './subject.js';

/** Over 1,024 tokens at 4 characters a token: long enough for any prompt cache to take. */
const longSystem = 'You are the implementation agent. Follow the plan exactly; keep changes small. '.repeat(
  80,
);

const numbers = (response: ModelResponse): ServedUsage => ({
  inputNoCache: response.usage.inputNoCache,
  cacheRead: response.usage.cacheRead,
  cacheWrite: response.usage.cacheWrite,
  output: response.usage.output,
});

export function describeUsageCases(factory: SubjectFactory, limits: ContractLimits): void {
  it('reports the input and output tokens the backend reported, nothing cached, nothing invented', async () => {
    const scenario = { kind: 'text', text: 'Counted.', usage: { input: 1234, output: 56 } } as const;
    const response = await using(await factory(scenario), (model) => model.generate(request()));
    const { raw: _raw, cacheWrite1h: _oneHour, ...usage } = response.usage;
    expect(usage).toEqual({ inputNoCache: 1234, cacheRead: 0, cacheWrite: 0, output: 56, reasoning: 0 });
  });

  it('reports each call’s own usage, never a running total', async () => {
    const scenario: Scenario = {
      kind: 'conversation',
      turns: [
        { text: 'First.', usage: { input: 100, output: 10 } },
        { text: 'Second.', usage: { input: 300, output: 30 } },
      ],
    };
    const [first, second] = await using(await factory(scenario), async (model) => {
      const one = await model.generate(request());
      const two = await model.generate(followUp(request(), one, 2));
      return [one, two];
    });
    expect(numbers(first!)).toEqual({ inputNoCache: 100, cacheRead: 0, cacheWrite: 0, output: 10 });
    expect(numbers(second!)).toEqual({ inputNoCache: 300, cacheRead: 0, cacheWrite: 0, output: 30 });
  });

  it.skipIf(limits.promptCache !== undefined)(
    titled(
      'reports cache reads and writes of a repeated long prompt exactly as the backend billed them',
      limits.promptCache,
    ),
    async () => {
      const scenario: Scenario = {
        kind: 'conversation',
        turns: [{ text: 'Step one.' }, { text: 'Step two.' }],
      };
      const { responses, served } = await using(await factory(scenario), async (model, subject) => {
        const first = await model.generate(request({ system: longSystem }));
        const second = await model.generate(followUp(request({ system: longSystem }), first, 2));
        return { responses: [first, second], served: subject.served?.() };
      });
      expect(served).toHaveLength(2);
      expect(responses.map(numbers)).toEqual(served);
      expect(responses[1]!.usage.cacheRead).toBeGreaterThan(0);
    },
  );
}

/** The next turn of the conversation: the answer, then one more word from the user. */
export function followUp(previous: ModelRequest, answer: ModelResponse, turn: number): ModelRequest {
  return {
    ...previous,
    messages: [
      ...previous.messages,
      { role: 'assistant', content: answer.content },
      { role: 'user', content: 'Go on.' },
    ],
    metadata: { ...previous.metadata, turn },
  };
}
