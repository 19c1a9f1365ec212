/**
 * Retry waits as run events, through the engine, the real Anthropic adapter and the one retry layer over HTTP to
 * the fake LLM server: each wait is a `model-call-retry` event in the journal; a resumed run replays the call it
 * had recorded and announces none of its waits again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors/index.js';
import type { EventOf, RunEvent } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import { runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import type { Tool } from '../../src/tools/tool.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const noop: Tool = {
  name: 'noop',
  description: 'does nothing',
  inputSchema: { type: 'object' },
  permission: 'read',
  execute: async () => ({ output: 'ok', isError: false }),
};

const isRetry = (event: RunEvent): event is EventOf<'model-call-retry'> => event.type === 'model-call-retry';

describe('model-call-retry events', () => {
  it('are journaled once per wait, and a resumed run does not announce the recorded call’s waits again', async () => {
    server = await startFakeLlmServer({
      apiKey: 'test-key',
      script: {
        conversations: [
          {
            name: 'research',
            match: [],
            turns: [
              {
                toolCalls: [{ name: 'noop', input: {} }],
                faults: [{ fault: { kind: 'status', status: 429, retryAfterMs: '5' }, times: 2 }],
              },
              { text: report('research') },
            ],
          },
        ],
      },
    });
    const workflow = testWorkflow({
      tiers: ['small'],
      tierModels: { small: 'vendor:claude-haiku-4-5' },
      providers: {
        vendor: {
          name: 'vendor',
          kind: 'anthropic',
          baseUrl: server.anthropicBaseUrl,
          apiKeyEnv: 'KEY',
          pricing: {},
        },
      },
      phases: [phase('research', { escalation: ['halt'] })],
    });
    const resolveModel = createModelResolver({
      providers: workflow.providers,
      factories: providerModelFactories({ env: { KEY: 'test-key' } }),
    });
    const journal = openJournal({ workspace: workflow.workspace });
    try {
      // Interrupted once the first (retried) call is recorded, before the second is made.
      const controller = new AbortController();
      const first: RunEvent[] = [];
      const interrupted = await runWorkflow({
        workflow,
        journal,
        task: 'explore',
        tools: [noop],
        resolveModel,
        abortSignal: controller.signal,
        onEvent: (event) => {
          first.push(event);
          if (event.type === 'model-call-end') controller.abort(new InterruptedError());
        },
      });
      expect(interrupted.status).toBe('interrupted');
      expect(first.filter(isRetry).map((event) => [event.try, event.waitMs, event.reason])).toEqual([
        [1, 5, 'rate limited by vendor (HTTP 429)'],
        [2, 5, 'rate limited by vendor (HTTP 429)'],
      ]);

      const resumedEvents: RunEvent[] = [];
      const resumed = await runWorkflow({
        workflow,
        journal,
        task: 'explore',
        tools: [noop],
        resolveModel,
        resume: { runId: interrupted.runId },
        onEvent: (event) => resumedEvents.push(event),
      });
      expect(resumed.status).toBe('succeeded');
      // The first call came back from the journal: no request, and no wait shown or stored again.
      expect(server.requests).toHaveLength(4);
      expect(resumedEvents.filter(isRetry)).toEqual([]);
      expect((await journal.listEvents(interrupted.runId)).filter(isRetry)).toHaveLength(2);
    } finally {
      await journal.close();
    }
  });
});
