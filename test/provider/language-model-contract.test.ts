/** The LanguageModel contract, run against every implementation: the scripted model and each adapter kind. */
import type { ProviderConfig } from '../../src/config/types.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import { type FakeTurn, ScriptedBackend, startFakeLlmServer } from '../../src/testing/index.js';
import { describeLanguageModelContract, type Scenario } from './language-model-contract.js';

describeLanguageModelContract('scripted model', async (scenario) => {
  const turn =
    scenario.kind === 'text'
      ? { text: scenario.text, usage: { input: 20, output: 5 } }
      : scenario.kind === 'tool-call'
        ? { toolCalls: [{ name: scenario.name, input: scenario.input }] }
        : { hang: true };
  const backend = new ScriptedBackend({ script: { phases: { contract: [{ turns: [turn] }] } } });
  return { model: backend.model('scripted-model'), close: async () => {} };
});

const fakeTurn = (scenario: Scenario): FakeTurn =>
  scenario.kind === 'text'
    ? { text: scenario.text }
    : scenario.kind === 'tool-call'
      ? { toolCalls: [{ name: scenario.name, input: scenario.input }] }
      : { text: 'never sent', faults: [{ fault: { kind: 'stall', afterEvents: 0 }, times: 1 }] };

for (const kind of ['anthropic', 'openai', 'openai-compatible'] as const) {
  describeLanguageModelContract(`AI SDK adapter (${kind}) over HTTP`, async (scenario) => {
    const server = await startFakeLlmServer({
      script: { conversations: [{ name: 'contract', match: [], turns: [fakeTurn(scenario)] }] },
      apiKey: 'contract-key',
    });
    const baseUrl = kind === 'anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl;
    const provider: ProviderConfig = {
      name: 'vendor',
      kind,
      baseUrl,
      apiKeyEnv: 'CONTRACT_KEY',
      pricing: {},
    };
    const factory = providerModelFactories({ env: { CONTRACT_KEY: 'contract-key' } })[kind]!;
    return { model: factory(provider, 'contract-model'), close: () => server.close() };
  });
}
