/**
 * Budgets and faults through the whole stack: the engine, the AI SDK adapter with its retry layer, and the fake
 * LLM server over HTTP. The ledger must hold whatever the model does; each fault must lead to the right retry
 * or failure, within the attempt cap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import { runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import {
  type FakeLlmScript,
  type FakeLlmServer,
  type FakeTurn,
  startFakeLlmServer,
} from '../../src/testing/index.js';
import type { Tool } from '../../src/tools/tool.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const echo: Tool = {
  name: 'echo',
  description: 'echoes its input',
  inputSchema: { type: 'object', properties: { n: { type: 'number' } } },
  permission: 'read',
  execute: async (input) => ({ output: `seen ${JSON.stringify(input)}`, isError: false }),
};

async function runAgainst(
  script: FakeLlmScript,
  options: { costLimitUsd: number; budgetUsd?: number; maxOutputTokens?: number; timeoutMs?: number },
) {
  await server?.close();
  server = await startFakeLlmServer({ script, apiKey: 'test-key' });
  const workflow = testWorkflow({
    budgetUsd: options.budgetUsd ?? 10,
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
    phases: [
      phase('research', {
        costLimitUsd: options.costLimitUsd,
        timeoutMs: options.timeoutMs ?? 60_000,
        maxTurns: 60,
        maxOutputTokens: options.maxOutputTokens ?? 4_000,
        escalation: ['halt'],
      }),
    ],
  });
  const factories = providerModelFactories({
    env: { KEY: 'test-key' },
    retry: { baseDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 50 },
  });
  const journal = openJournal({ workspace: workflow.workspace });
  const events: RunEvent[] = [];
  try {
    const outcome = await runWorkflow({
      workflow,
      journal,
      task: 'explore',
      tools: [echo],
      resolveModel: createModelResolver({ providers: workflow.providers, factories }),
      onEvent: (event) => events.push(event),
    });
    return { outcome, events, requests: server.requests };
  } finally {
    await journal.close();
  }
}

const longWinded = (n: number): FakeTurn => ({
  text: 'Thinking out loud. '.repeat(150),
  toolCalls: [{ name: 'echo', input: { n } }],
});

describe('the ledger', () => {
  it.each([0.01, 0.02, 0.035, 0.05])(
    'never lets a phase limited to $%s overshoot by more than one reservation',
    async (limit) => {
      const script = {
        conversations: [{ name: 'r', match: [], turns: Array.from({ length: 60 }, (_, n) => longWinded(n)) }],
      };
      const { outcome, events } = await runAgainst(script, { costLimitUsd: limit });
      // Stopped by the ledger, or — when the last affordable output cap cut the answer short — by the gate.
      expect(['budget_exceeded', 'halted']).toContain(outcome.status);
      const reservations = events.flatMap((event) =>
        event.type === 'model-call-start' ? [event.reservedUsd] : [],
      );
      expect(reservations.length).toBeGreaterThan(1);
      expect(outcome.costUsd).toBeLessThanOrEqual(limit + Math.max(...reservations));
      // In practice the estimate holds and the limit itself is never passed.
      expect(outcome.costUsd).toBeLessThanOrEqual(limit);
    },
  );

  it('stops the run at its budget even when each phase could afford more', async () => {
    const script = {
      conversations: [{ name: 'r', match: [], turns: Array.from({ length: 60 }, (_, n) => longWinded(n)) }],
    };
    const { outcome } = await runAgainst(script, { costLimitUsd: 1, budgetUsd: 0.02 });
    expect(['budget_exceeded', 'halted']).toContain(outcome.status);
    if (outcome.status === 'budget_exceeded') expect(outcome.message).toContain('run budget');
    expect(outcome.costUsd).toBeLessThanOrEqual(0.02);
    expect(outcome.costUsd).toBeGreaterThan(0.01);
  });
});

describe('faults', () => {
  const answer: FakeTurn = { text: report('research') };
  const withFault = (fault: NonNullable<FakeTurn['faults']>[number]['fault'], times = 1): FakeLlmScript => ({
    conversations: [{ name: 'r', match: [], turns: [{ ...answer, faults: [{ fault, times }] }] }],
  });

  it.each([
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 0 } as const],
    ['529 overloaded', { kind: 'status', status: 529 } as const],
    ['500', { kind: 'status', status: 500 } as const],
    ['an overload mid-stream before any content', { kind: 'stream-error', afterEvents: 1 } as const],
    ['a connection reset mid-stream', { kind: 'reset', afterEvents: 1 } as const],
  ])('retries %s and succeeds', async (_name, fault) => {
    const { outcome, requests } = await runAgainst(withFault(fault, 2), { costLimitUsd: 1 });
    expect(outcome.status).toBe('succeeded');
    expect(requests).toHaveLength(3);
  });

  it.each([
    ['400', { kind: 'status', status: 400 } as const],
    ['401', { kind: 'status', status: 401 } as const],
  ])('fails at once on %s, without retrying', async (_name, fault) => {
    const { outcome, requests } = await runAgainst(withFault(fault, 1), { costLimitUsd: 1 });
    expect(outcome.status).toBe('failed');
    expect(requests).toHaveLength(1);
  });

  it('gives up after the attempt cap when the fault persists', async () => {
    const { outcome, requests } = await runAgainst(withFault({ kind: 'status', status: 529 }, 10), {
      costLimitUsd: 1,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/529|overload/i);
    expect(requests).toHaveLength(4);
  });

  it('charges a call that failed after the provider had counted its tokens', async () => {
    const script = withFault({ kind: 'stream-error', afterEvents: 4 }, 1);
    const { outcome } = await runAgainst(script, { costLimitUsd: 1 });
    expect(outcome.status).toBe('failed');
    expect(outcome.costUsd).toBeGreaterThan(0);
  });

  it('charges the attempts a retry had to repeat, when they were billed', async () => {
    const clean = await runAgainst(
      { conversations: [{ name: 'r', match: [], turns: [answer] }] },
      { costLimitUsd: 1 },
    );
    const retried = await runAgainst(withFault({ kind: 'stream-error', afterEvents: 1 }, 2), {
      costLimitUsd: 1,
    });
    expect(retried.outcome.status).toBe('succeeded');
    expect(retried.requests).toHaveLength(3);
    // Each failed attempt had its input counted by message_start before the overload arrived.
    expect(retried.outcome.costUsd).toBeGreaterThan(clean.outcome.costUsd * 2);
  });

  it('charges a call cut off by the phase timeout for the tokens already counted', async () => {
    const { outcome } = await runAgainst(withFault({ kind: 'stall', afterEvents: 2 }, 1), {
      costLimitUsd: 1,
      timeoutMs: 300,
    });
    expect(outcome.status).toBe('timed_out');
    expect(outcome.costUsd).toBeGreaterThan(0);
  });
});
