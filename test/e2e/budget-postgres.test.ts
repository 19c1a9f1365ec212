/**
 * The budget through the whole stack on the shared Postgres journal: the engine, the AI SDK adapter and the fake
 * LLM server over HTTP, the run's ledger in the database (`SharedLedger`). A tight limit ends the run
 * `budget_exceeded` within it, the stored ledger agrees with the journal and holds no reservation afterwards, and
 * a resume counts what was spent once: the lock holder resets the ledger from the journal's records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedWorkflow } from '../../src/config/types.js';
import type { RunEvent } from '../../src/events/index.js';
import { migratePostgresJournal, openPostgresJournal } from '../../src/journal/index.js';
import { runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import { type FakeLlmServer, type FakeTurn, startFakeLlmServer } from '../../src/testing/index.js';
import type { Tool } from '../../src/tools/tool.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { phase, testWorkflow } from '../support/workflow.js';

let database: PostgresServer;
let llm: FakeLlmServer;
let schema: string;

/** A turn shorter than the smallest output cap: nothing is cut short, so only the ledger stops the agent. */
const brief = (n: number): FakeTurn => ({
  text: `Looking at ${n}.`,
  toolCalls: [{ name: 'echo', input: { n } }],
});

beforeAll(async () => {
  database = startPostgres();
  schema = database.freshSchema();
  await migratePostgresJournal({ url: database.url, schema });
  llm = await startFakeLlmServer({
    script: {
      conversations: [{ name: 'r', match: [], turns: Array.from({ length: 200 }, (_, n) => brief(n)) }],
    },
    apiKey: 'test-key',
  });
});

afterAll(async () => {
  await llm?.close();
  await database?.stop();
});

const echo: Tool = {
  name: 'echo',
  description: 'echoes its input',
  inputSchema: { type: 'object', properties: { n: { type: 'number' } } },
  permission: 'read',
  execute: async (input) => ({ output: `seen ${JSON.stringify(input)}`, isError: false }),
};

function workflowWith(limits: { costLimitUsd: number; budgetUsd: number }): ResolvedWorkflow {
  return testWorkflow({
    budgetUsd: limits.budgetUsd,
    tiers: ['small'],
    tierModels: { small: 'vendor:claude-haiku-4-5' },
    providers: {
      vendor: {
        name: 'vendor',
        kind: 'anthropic',
        baseUrl: llm.anthropicBaseUrl,
        apiKeyEnv: 'KEY',
        pricing: {},
      },
    },
    phases: [
      phase('research', {
        costLimitUsd: limits.costLimitUsd,
        timeoutMs: 60_000,
        maxTurns: 200,
        maxOutputTokens: 4_000,
        escalation: ['halt'],
      }),
    ],
  });
}

async function run(workflow: ResolvedWorkflow, resume?: { runId: string }) {
  const journal = await openPostgresJournal({ url: database.url, schema });
  const factories = providerModelFactories({
    env: { KEY: 'test-key' },
    retry: { baseDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 50 },
  });
  const events: RunEvent[] = [];
  try {
    const outcome = await runWorkflow({
      workflow,
      journal,
      task: 'explore',
      tools: [echo],
      resolveModel: createModelResolver({ providers: workflow.providers, factories }),
      onEvent: (event) => events.push(event),
      ...(resume === undefined ? {} : { resume }),
    });
    return { outcome, events, recordedUsd: (await journal.getRun(outcome.runId))!.costUsd };
  } finally {
    await journal.close();
  }
}

async function storedLedger(runId: string) {
  const phases = await database.sql(
    `SELECT phase_id, spent_usd FROM "${schema}".ledger_phases WHERE run_id = $1 ORDER BY phase_id`,
    [runId],
  );
  const reservations = await database.sql(
    `SELECT count(*)::int AS n FROM "${schema}".ledger_reservations WHERE run_id = $1`,
    [runId],
  );
  const spent = Object.fromEntries(
    phases.rows.map((row) => [row.phase_id as string, row.spent_usd as number]),
  );
  return { spent, reservations: reservations.rows[0]?.n as number };
}

describe('the budget on the Postgres journal', () => {
  it('ends a run at its phase limit budget_exceeded, the stored ledger agreeing with the journal', async () => {
    const limit = 0.02;
    const { outcome, events, recordedUsd } = await run(workflowWith({ costLimitUsd: limit, budgetUsd: 10 }));
    expect(outcome.status, outcome.message ?? '').toBe('budget_exceeded');
    expect(outcome.message).toContain('cost limit of phase research');
    const reservations = events.flatMap((event) =>
      event.type === 'model-call-start' ? [event.reservedUsd] : [],
    );
    expect(reservations.length).toBeGreaterThan(1);
    expect(outcome.costUsd).toBeGreaterThan(limit / 2);
    expect(outcome.costUsd).toBeLessThanOrEqual(limit);
    const stored = await storedLedger(outcome.runId);
    expect(stored.spent.research).toBeCloseTo(outcome.costUsd, 10);
    expect(recordedUsd).toBeCloseTo(outcome.costUsd, 10);
    expect(stored.reservations).toBe(0);
  });

  it('stops at the run budget, and a resume counts what was spent once', async () => {
    const workflow = workflowWith({ costLimitUsd: 1, budgetUsd: 0.02 });
    const first = await run(workflow);
    expect(first.outcome.status, first.outcome.message ?? '').toBe('budget_exceeded');
    expect(first.outcome.message).toContain('run budget');
    expect(first.outcome.costUsd).toBeLessThanOrEqual(0.02);

    const resumed = await run(workflow, { runId: first.outcome.runId });
    expect(resumed.outcome.status).toBe('budget_exceeded');
    // Reopened from the journal's records: neither the replay nor the stored figures count a call twice.
    expect(resumed.outcome.costUsd).toBeCloseTo(first.outcome.costUsd, 10);
    expect(resumed.recordedUsd).toBeCloseTo(first.recordedUsd, 10);
    const stored = await storedLedger(first.outcome.runId);
    expect(stored.spent.research).toBeCloseTo(first.outcome.costUsd, 10);
    expect(stored.reservations).toBe(0);
  });
});
