/**
 * The LanguageModel contract, run against every implementation: the scripted model, and the AI SDK adapter of each
 * provider kind, streaming (as the factories build it) and asking for one JSON answer (`stream: false`).
 */
import type { ProviderConfig } from '../../src/config/types.js';
import { createAiSdkModel } from '../../src/provider/ai-sdk-model.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import { withRetries } from '../../src/provider/retry.js';
import {
  type FakeTurn,
  ScriptedBackend,
  type ScriptedTurn,
  startFakeLlmServer,
} from '../../src/testing/index.js';
import { closedPort } from '../support/closed-port.js';
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
    case 'unreachable':
      throw new Error('the scripted model has no HTTP status or connection to fail with');
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
    case 'unreachable':
      return [{ text: 'never asked for' }];
  }
};

const API_KEY = 'contract-key-DO-NOT-LEAK-7c3e';
const KINDS = ['anthropic', 'openai', 'openai-compatible'] as const;
// The one retry layer as shipped, its waits not slept: a retry's timing is retry.test.ts's business.
const retry = { sleep: async () => {} };

for (const kind of KINDS) {
  for (const stream of [true, false]) {
    const name = `AI SDK adapter (${kind}${stream ? '' : ', one JSON answer'}) over HTTP`;
    describeLanguageModelContract(name, async (scenario) => {
      const server = await startFakeLlmServer({
        script: { conversations: [{ name: 'contract', match: [], turns: fakeTurns(scenario) }] },
        apiKey: API_KEY,
      });
      const origin = scenario.kind === 'unreachable' ? `http://127.0.0.1:${await closedPort()}` : server.url;
      const provider: ProviderConfig = {
        name: 'vendor',
        kind,
        baseUrl: `${origin}/v1`,
        apiKeyEnv: 'CONTRACT_KEY',
        pricing: {},
      };
      const env = { CONTRACT_KEY: API_KEY };
      const model = stream
        ? providerModelFactories({ env, retry })[kind]!(provider, 'contract-model')
        : withRetries(createAiSdkModel({ provider, modelId: 'contract-model', env, stream: false }), retry);
      return {
        model,
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
}
