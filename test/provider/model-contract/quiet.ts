/** A model prints nothing on the console, answering or failing: the run's renderer owns the screen. */
import { afterEach, beforeEach, expect, it, type MockInstance, vi } from 'vitest';
import {
  type ContractLimits,
  contractRequest as request,
  type SubjectFactory,
  titled,
  using,
} from './subject.js';

export function describeQuietCases(factory: SubjectFactory, limits: ContractLimits): void {
  let spies: MockInstance[] = [];
  beforeEach(() => {
    spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });
  const printed = () => spies.flatMap((spy) => spy.mock.calls);

  it('prints nothing on the console while it answers', async () => {
    await using(await factory({ kind: 'text', text: 'Hello there.' }), (model) => model.generate(request()));
    expect(printed()).toEqual([]);
  });

  it.skipIf(limits.httpErrors !== undefined)(
    titled('prints nothing on the console when a call fails, retries included', limits.httpErrors),
    async () => {
      const scenario = { kind: 'failure', status: 500, times: 100, afterwards: { text: 'never' } } as const;
      const outcome = await using(await factory(scenario), (model) =>
        model.generate(request()).catch((error: unknown) => error),
      );
      expect(outcome).toBeInstanceOf(Error);
      expect(printed()).toEqual([]);
    },
  );
}
