/** The LanguageModel contract, run against every implementation: the scripted model and each adapter kind. */
import type { ProviderConfig } from '../../src/config/types.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import {
  type FakeTurn,
  ScriptedBackend,
  type ScriptedTurn,
  startFakeLlmServer,
} from '../../src/testing/index.js';
import { describeLanguageModelContract, type Scenario } from './language-model-contract.js';

const scriptedTurns = (scenario: Scenario): ScriptedTurn[] => {
  switch (scenario.kind) {
    case 'text':
      return [{ text: scenario.text, ...(scenario.usage === undefined ? {} : { usage: scenario.usage }) }];
    case 'tool-call':
      return [{ toolCalls: [{ name: scenario.name, input: scenario.input }] }];
    case 'hang':
      return [{ hang: true }];
    case 'conversation':
      return scenario.turns;
    case 'failure':
      throw new Error('the scripted model has no HTTP status to fail with');
  }
};

describeLanguageModelContract(
  'scripted model',
  async (scenario) => {
    const script = { phases: { contract: [{ turns: scriptedTurns(scenario) }] } };
    const backend = new ScriptedBackend({ script });
    return {
      model: backend.model('scripted-model'),
      received: () => backend.calls.map((call) => call.request),
      close: async () => {},
    };
  },
  {
    httpErrors:
      'the scripted model speaks no HTTP; a scripted error is a plain Error the run treats as a bug',
    promptCache: 'the scripted model keeps no prompt cache; it reports only the usage it is scripted with',
  },
);

const fakeTurns = (scenario: Scenario): FakeTurn[] => {
  switch (scenario.kind) {
    case 'text':
      return [{ text: scenario.text, ...(scenario.usage === undefined ? {} : { usage: scenario.usage }) }];
    case 'tool-call':
      return [{ toolCalls: [{ name: scenario.name, input: scenario.input }] }];
    case 'hang':
      return [{ text: 'never sent', faults: [{ fault: { kind: 'stall', afterEvents: 0 }, times: 1 }] }];
    case 'conversation':
      return scenario.turns;
    case 'failure':
      return [
        {
          ...scenario.afterwards,
          faults: [{ fault: { kind: 'status', status: scenario.status }, times: scenario.times }],
        },
      ];
  }
};

const API_KEY = 'contract-key-DO-NOT-LEAK-7c3e';

for (const kind of ['anthropic', 'openai', 'openai-compatible'] as const) {
  describeLanguageModelContract(`AI SDK adapter (${kind}) over HTTP`, async (scenario) => {
    const server = await startFakeLlmServer({
      script: { conversations: [{ name: 'contract', match: [], turns: fakeTurns(scenario) }] },
      apiKey: API_KEY,
    });
    const baseUrl = kind === 'anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl;
    const provider: ProviderConfig = {
      name: 'vendor',
      kind,
      baseUrl,
      apiKeyEnv: 'CONTRACT_KEY',
      pricing: {},
    };
    // The one retry layer as shipped, its waits not slept: a retry's timing is retry.test.ts's business.
    const factories = providerModelFactories({
      env: { CONTRACT_KEY: API_KEY },
      retry: { sleep: async () => {} },
    });
    return {
      model: factories[kind]!(provider, 'contract-model'),
      received: () => server.requests.map((request) => request.body),
      served: () =>
        server.requests.flatMap(({ usage }) =>
          usage === undefined
            ? []
            : [
                {
                  inputNoCache: usage.input,
                  cacheRead: usage.cacheRead,
                  cacheWrite: usage.cacheWrite5m + usage.cacheWrite1h,
                  output: usage.output,
                },
              ],
        ),
      apiKey: API_KEY,
      close: () => server.close(),
    };
  });
}
