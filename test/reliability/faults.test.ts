/**
 * Provider faults, the whole matrix: every error status the APIs use, every form of Retry-After, errors inside a
 * 200 stream, connection resets and stalls before and after content — against each provider kind, through the
 * real adapter (`createAiSdkModel`) and the one retry layer, over HTTP to the fake LLM server. Each cell checks
 * the decision (retry or fail), the attempt count, the wait (recorded, not slept), stall detection within its
 * idle timeout, and that usage reported before a failure is carried for the ledger. `RELIABILITY_TIER=soak`
 * plays the matrix several times over, with the server's answers slowed down.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { costOfUsage } from '../../src/budget/cost.js';
import { lookupPrice } from '../../src/budget/price-table.js';
import type { ProviderConfig } from '../../src/config/types.js';
import { ProviderError } from '../../src/errors/errors.js';
import { openJournal } from '../../src/journal/index.js';
import { runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { createAiSdkModel } from '../../src/provider/ai-sdk-model.js';
import { providerModelFactories } from '../../src/provider/factories.js';
import type { LanguageModel, ModelRequest, ModelUsage } from '../../src/provider/model.js';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import { RETRY_DEFAULTS, withRetries } from '../../src/provider/retry.js';
import { type FakeFault, type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

type Kind = 'anthropic' | 'openai' | 'openai-compatible';
const kinds: Kind[] = ['anthropic', 'openai', 'openai-compatible'];
const soak = process.env.RELIABILITY_TIER === 'soak';
const rounds = soak ? 5 : 1;
const STALL_MS = 250;
const KEY = 'sk-fault-matrix-key-9d1e7c3b5a';
/** Backoff for the first retry with no server wait: base 1 s × (0.5 + 0.5 × random 0.5). */
const BACKOFF_1 = 750;
const ANSWER = 'All good: the answer arrives in several pieces, one after another, to the end.';

type Expectation =
  | { decision: 'retry'; firstDelayMs?: number | [min: number, max: number] }
  | { decision: 'fail' };

interface Cell {
  name: string;
  fault: FakeFault;
  /** Served this many times before the answer; past the attempt cap the call fails retryable. */
  times: number;
  stream: boolean;
  expect: Expectation;
  /** A stall the watchdog must catch. */
  stalled?: boolean;
  /** Failure came after content had streamed (never retried). */
  afterContent?: boolean;
  /** The provider reported usage before the failure: the error (or the final answer) carries it. */
  billedBeforeFailure?: boolean;
  status?: number;
}

const figures = { cases: 0, retried: 0, failed: 0, stalls: 0, slowestStallMs: 0, wildUsage: 0 };

const httpDate = (offsetMs: number) => new Date(Date.now() + offsetMs).toUTCString();

/** How the vendors document their statuses: which are worth another attempt. */
const statuses: Array<[status: number, retry: boolean]> = [
  [400, false],
  [401, false],
  [402, false],
  [403, false],
  [404, false],
  [408, true],
  [409, true],
  [413, false],
  [429, true],
  [500, true],
  [502, true],
  [503, true],
  [504, true],
  [529, true],
];

function statusCells(): Cell[] {
  // An empty account answers 429 (OpenAI `insufficient_quota`) or 400/402 (Anthropic `billing_error`): no retry.
  const account: Cell[] = [
    ['insufficient_quota', 429],
    ['billing_error', 429],
    ['billing_error', 402],
  ].map(([errorType, status]) => ({
    name: `HTTP ${status} ${errorType}`,
    fault: { kind: 'status', status, errorType, retryAfter: '1' } as FakeFault,
    times: 1,
    stream: true,
    expect: { decision: 'fail' },
    status: status as number,
  }));
  // The server's x-should-retry wins over the status, as in both vendors' SDKs.
  const told: Cell[] = [
    {
      name: 'HTTP 400 with x-should-retry: true',
      fault: { kind: 'status', status: 400, shouldRetry: true },
      times: 1,
      stream: true,
      expect: { decision: 'retry', firstDelayMs: BACKOFF_1 },
      status: 400,
    },
    {
      name: 'HTTP 503 with x-should-retry: false',
      fault: { kind: 'status', status: 503, shouldRetry: false, retryAfter: '1' },
      times: 1,
      stream: true,
      expect: { decision: 'fail' },
      status: 503,
    },
  ];
  return [...account, ...told].concat(
    statuses.flatMap(([status, retry]): Cell[] => {
      const fault = { kind: 'status', status } as FakeFault;
      if (!retry)
        return [
          { name: `HTTP ${status}`, fault, times: 1, stream: true, expect: { decision: 'fail' }, status },
        ];
      return [
        {
          name: `HTTP ${status} once`,
          fault,
          times: 1,
          stream: true,
          expect: { decision: 'retry', firstDelayMs: BACKOFF_1 },
          status,
        },
        {
          name: `HTTP ${status} persisting`,
          fault,
          times: 10,
          stream: true,
          expect: { decision: 'fail' },
          status,
        },
        {
          name: `HTTP ${status} once (JSON)`,
          fault,
          times: 1,
          stream: false,
          expect: { decision: 'retry' },
          status,
        },
      ];
    }),
  );
}

/** Retry-After in every form a server sends it, on each status that carries it. */
function retryAfterCells(): Cell[] {
  const forms: Array<
    [name: string, headers: Partial<Extract<FakeFault, { kind: 'status' }>>, delay: number | [number, number]]
  > = [
    ['delta-seconds 3', { retryAfter: '3' }, 3_000],
    ['delta-seconds 0', { retryAfter: '0' }, 0],
    ['fractional seconds 1.5', { retryAfter: '1.5' }, 1_500],
    ['HTTP-date in 10 s', { retryAfter: httpDate(10_000) }, [5_000, 10_000]],
    ['HTTP-date in the past', { retryAfter: httpDate(-60_000) }, 0],
    ['retry-after-ms 250', { retryAfterMs: '250' }, 250],
    ['retry-after-ms before retry-after', { retryAfterMs: '250', retryAfter: '9' }, 250],
    ['absent', {}, BACKOFF_1],
    ['absurd delta-seconds', { retryAfter: '86400000' }, RETRY_DEFAULTS.retryAfterCapMs],
    ['absurd HTTP-date', { retryAfter: 'Fri, 31 Dec 2199 23:59:59 GMT' }, RETRY_DEFAULTS.retryAfterCapMs],
    ['absurd retry-after-ms', { retryAfterMs: '1e12' }, RETRY_DEFAULTS.retryAfterCapMs],
    ['malformed word', { retryAfter: 'soon' }, BACKOFF_1],
    ['malformed negative', { retryAfter: '-1' }, BACKOFF_1],
    ['malformed hex', { retryAfter: '0x10' }, BACKOFF_1],
    ['malformed with unit', { retryAfter: '5 seconds' }, BACKOFF_1],
    ['malformed two numbers', { retryAfter: '1 2' }, BACKOFF_1],
    ['malformed empty', { retryAfter: '' }, BACKOFF_1],
    ['malformed retry-after-ms, valid retry-after', { retryAfterMs: 'abc', retryAfter: '2' }, 2_000],
    ['malformed retry-after-ms only', { retryAfterMs: '-5' }, BACKOFF_1],
  ];
  return [429, 503, 529].flatMap((status) =>
    forms.map(
      ([name, headers, delay]): Cell => ({
        name: `HTTP ${status} retry-after ${name}`,
        fault: { kind: 'status', status, ...headers } as FakeFault,
        times: 1,
        stream: true,
        expect: { decision: 'retry', firstDelayMs: delay },
        status,
      }),
    ),
  );
}

/** Anthropic: message_start (usage) first; OpenAI: a role chunk. Four events in, text has streamed. */
const BEFORE_CONTENT = 1;
const AFTER_CONTENT = 4;

function streamCells(kind: Kind): Cell[] {
  const anthropic = kind === 'anthropic';
  const cells: Cell[] = [];
  const errorShapes: Array<[string, FakeFault & { kind: 'stream-error' }]> = anthropic
    ? [
        ['overloaded_error', { kind: 'stream-error', afterEvents: 0, errorType: 'overloaded_error' }],
        ['api_error', { kind: 'stream-error', afterEvents: 0, errorType: 'api_error' }],
      ]
    : [
        ['OpenAI error chunk', { kind: 'stream-error', afterEvents: 0, shape: 'openai' }],
        ['OpenRouter error chunk', { kind: 'stream-error', afterEvents: 0, shape: 'openrouter' }],
      ];
  for (const [shape, fault] of errorShapes) {
    // OpenRouter's chunk carries usage; Anthropic's message_start does before any error.
    const billed = anthropic || fault.shape === 'openrouter';
    cells.push(
      {
        name: `200 stream, ${shape} before content`,
        fault: { ...fault, afterEvents: BEFORE_CONTENT },
        times: 1,
        stream: true,
        expect: { decision: 'retry', firstDelayMs: BACKOFF_1 },
        billedBeforeFailure: billed,
      },
      {
        name: `200 stream, ${shape} after content`,
        fault: { ...fault, afterEvents: AFTER_CONTENT },
        times: 1,
        stream: true,
        expect: { decision: 'fail' },
        afterContent: true,
        billedBeforeFailure: billed,
      },
    );
  }
  cells.push(
    {
      name: 'clean end before content',
      fault: { kind: 'truncate', afterEvents: BEFORE_CONTENT },
      times: 1,
      stream: true,
      expect: { decision: 'retry', firstDelayMs: BACKOFF_1 },
      billedBeforeFailure: anthropic,
    },
    {
      name: 'clean end after content',
      fault: { kind: 'truncate', afterEvents: AFTER_CONTENT },
      times: 1,
      stream: true,
      expect: { decision: 'fail' },
      afterContent: true,
      billedBeforeFailure: anthropic,
    },
    {
      name: 'half a JSON body',
      fault: { kind: 'truncate', afterEvents: 0 },
      times: 1,
      stream: false,
      expect: { decision: 'retry' },
    },
    {
      name: 'reset before any event',
      fault: { kind: 'reset', afterEvents: 0 },
      times: 1,
      stream: true,
      expect: { decision: 'retry', firstDelayMs: BACKOFF_1 },
    },
    {
      name: 'reset before content',
      fault: { kind: 'reset', afterEvents: BEFORE_CONTENT },
      times: 1,
      stream: true,
      expect: { decision: 'retry' },
      billedBeforeFailure: anthropic,
    },
    {
      name: 'reset after content',
      fault: { kind: 'reset', afterEvents: AFTER_CONTENT },
      times: 1,
      stream: true,
      expect: { decision: 'fail' },
      afterContent: true,
      billedBeforeFailure: anthropic,
    },
    {
      name: 'reset before the response (JSON)',
      fault: { kind: 'reset', afterEvents: 0 },
      times: 1,
      stream: false,
      expect: { decision: 'retry' },
    },
    {
      name: 'reset persisting',
      fault: { kind: 'reset', afterEvents: 0 },
      times: 10,
      stream: true,
      expect: { decision: 'fail' },
    },
    {
      name: 'stall before any event',
      fault: { kind: 'stall', afterEvents: 0 },
      times: 1,
      stream: true,
      expect: { decision: 'retry', firstDelayMs: BACKOFF_1 },
      stalled: true,
    },
    {
      name: 'stall before content',
      fault: { kind: 'stall', afterEvents: BEFORE_CONTENT },
      times: 1,
      stream: true,
      expect: { decision: 'retry' },
      stalled: true,
      billedBeforeFailure: anthropic,
    },
    {
      name: 'stall mid-stream after content',
      fault: { kind: 'stall', afterEvents: AFTER_CONTENT },
      times: 1,
      stream: true,
      expect: { decision: 'fail' },
      stalled: true,
      afterContent: true,
      billedBeforeFailure: anthropic,
    },
    {
      name: 'stall before the response (JSON)',
      fault: { kind: 'stall', afterEvents: 0 },
      times: 1,
      stream: false,
      expect: { decision: 'retry' },
      stalled: true,
    },
  );
  return cells;
}

function matrix(kind: Kind): Cell[] {
  return [...statusCells(), ...retryAfterCells(), ...streamCells(kind)];
}

const modelIds: Record<Kind, string> = {
  anthropic: 'claude-haiku-4-5',
  openai: 'gpt-5-nano',
  'openai-compatible': 'llama-small',
};

function provider(kind: Kind, server: FakeLlmServer): ProviderConfig {
  const baseUrl = kind === 'anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl;
  return { name: 'vendor', kind, baseUrl, apiKeyEnv: 'FAULT_KEY', pricing: {} };
}

function request(tag: string): ModelRequest {
  return {
    system: `Fault matrix cell ${tag}.`,
    messages: [{ role: 'user', content: 'Answer, please.' }],
    tools: [],
    maxOutputTokens: 256,
    abortSignal: new AbortController().signal,
    metadata: { runId: 'faults', phaseId: 'research', attempt: 1, turn: 1 },
  };
}

interface Played {
  delays: number[];
  error: unknown;
  usage: ModelUsage | undefined;
  text: string | undefined;
  elapsedMs: number;
}

async function play(model: LanguageModel, tag: string, delays: number[]): Promise<Played> {
  const started = performance.now();
  try {
    const response = await model.generate(request(tag));
    const text = response.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
    return { delays, error: undefined, usage: response.usage, text, elapsedMs: performance.now() - started };
  } catch (error) {
    const usage = error instanceof ProviderCallError ? error.usage : undefined;
    return { delays, error, usage, text: undefined, elapsedMs: performance.now() - started };
  }
}

afterAll(() => {
  console.log(
    `reliability: faults: ${figures.cases} fault cases across ${kinds.length} provider kinds, ${figures.retried} retried, ${figures.failed} failed as expected, ${figures.stalls} stalls detected in ≤ ${Math.ceil(figures.slowestStallMs)} ms; ${figures.wildUsage} failed calls reporting implausible usage, each charged at most its reservation`,
  );
});

describe.each(kinds)('faults through %s', (kind) => {
  const cells = matrix(kind);

  it('waits for real what the server asked, and no longer than the cap', async () => {
    const script = {
      conversations: [
        {
          name: 'asked',
          match: ['cell asked.'],
          turns: [
            {
              text: ANSWER,
              faults: [{ fault: { kind: 'status', status: 429, retryAfterMs: '150' } as const }],
            },
          ],
        },
        {
          name: 'capped',
          match: ['cell capped.'],
          turns: [
            {
              text: ANSWER,
              faults: [{ fault: { kind: 'status', status: 503, retryAfter: '3600' } as const }],
            },
          ],
        },
      ],
    };
    const server = await startFakeLlmServer({ script, apiKey: KEY });
    try {
      const model = withRetries(
        createAiSdkModel({
          provider: provider(kind, server),
          modelId: modelIds[kind],
          env: { FAULT_KEY: KEY },
        }),
        { retryAfterCapMs: 200 },
      );
      for (const [tag, atLeast] of [
        ['asked', 150],
        ['capped', 200],
      ] as const) {
        const started = performance.now();
        await model.generate(request(tag));
        const elapsed = performance.now() - started;
        expect(elapsed, tag).toBeGreaterThanOrEqual(atLeast - 5);
        expect(elapsed, tag).toBeLessThan(atLeast + 1_500);
        figures.cases++;
        figures.retried++;
      }
    } finally {
      await server.close();
    }
  });

  it('retries a refused connection up to the cap, then fails retryable', async () => {
    const server = await startFakeLlmServer({ script: { conversations: [] }, apiKey: KEY });
    const closed = provider(kind, server);
    await server.close();
    const delays: number[] = [];
    const model = withRetries(
      createAiSdkModel({ provider: closed, modelId: modelIds[kind], env: { FAULT_KEY: KEY } }),
      { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
    );
    const played = await play(model, 'refused', delays);
    expect(played.error).toBeInstanceOf(ProviderError);
    expect(played.error).toMatchObject({ retryable: true });
    expect((played.error as Error).message).toMatch(/ECONNREFUSED|connection/);
    expect(delays).toEqual([750, 1_500, 3_000]);
    figures.cases++;
    figures.failed++;
  });

  it(`plays ${cells.length} fault cells ×${rounds} with the right decision, attempts, wait and billing`, async () => {
    for (let round = 0; round < rounds; round++) {
      // Built now, not when the suite was collected: HTTP dates are relative to the moment they are sent.
      const cells = matrix(kind);
      const script = {
        conversations: cells.map((cell, index) => ({
          name: `${index}: ${cell.name}`,
          match: [`cell ${kind}#${round}#${index}.`],
          turns: [
            { text: ANSWER, delayMs: soak ? 5 : 0, faults: [{ fault: cell.fault, times: cell.times }] },
          ],
        })),
      };
      const server = await startFakeLlmServer({ script, apiKey: KEY, latencyMs: soak ? 10 : 0 });
      try {
        // Cells run side by side, a few at a time: each has its own conversation, so order does not matter.
        const queue = cells.map((cell, index) => ({ cell, index }));
        const workers = Array.from({ length: 6 }, async () => {
          for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
            await checkCell(kind, server, next.cell, `${kind}#${round}#${next.index}`);
          }
        });
        await Promise.all(workers);
        expect(server.unexpected).toEqual([]);
        // Every request's recorded headers hide the key; no answer body echoes it back.
        expect(JSON.stringify(server.requests)).not.toContain(KEY);
      } finally {
        await server.close();
      }
    }
  });
});

async function checkCell(kind: Kind, server: FakeLlmServer, cell: Cell, tag: string): Promise<void> {
  const delays: number[] = [];
  const base = createAiSdkModel({
    provider: provider(kind, server),
    modelId: modelIds[kind],
    env: { FAULT_KEY: KEY },
    stallTimeoutMs: STALL_MS,
    stream: cell.stream,
  });
  const model = withRetries(base, { sleep: async (ms) => void delays.push(ms), random: () => 0.5 });
  const played = await play(model, tag, delays);
  const requests = server.requests.filter((recorded) =>
    JSON.stringify(recorded.body).includes(`cell ${tag}.`),
  );
  const where = `${kind} / ${cell.name}`;
  figures.cases++;

  const maxAttempts = RETRY_DEFAULTS.maxAttempts;
  if (cell.expect.decision === 'retry') {
    expect.soft(played.error, `${where}: ${String(played.error)}`).toBeUndefined();
    expect.soft(played.text, where).toBe(ANSWER);
    expect.soft(requests.length, where).toBe(cell.times + 1);
    expect.soft(delays.length, where).toBe(cell.times);
    const expected = cell.expect.firstDelayMs;
    if (typeof expected === 'number') expect.soft(delays[0], where).toBe(expected);
    else if (expected !== undefined) {
      expect.soft(delays[0], where).toBeGreaterThanOrEqual(expected[0]);
      expect.soft(delays[0], where).toBeLessThanOrEqual(expected[1]);
    }
    for (const delay of delays) expect.soft(delay, where).toBeLessThanOrEqual(RETRY_DEFAULTS.retryAfterCapMs);
    figures.retried++;
  } else {
    expect.soft(played.error, where).toBeInstanceOf(ProviderError);
    const error = played.error as ProviderCallError;
    const persisting = cell.times > maxAttempts;
    expect.soft(requests.length, where).toBe(persisting ? maxAttempts : 1);
    expect.soft(delays.length, where).toBe(persisting ? maxAttempts - 1 : 0);
    expect.soft(error.retryable, where).toBe(persisting);
    if (cell.status !== undefined) expect.soft(error.status, where).toBe(cell.status);
    if (cell.afterContent) expect.soft(error.afterContent, where).toBe(true);
    expect.soft(error.message, where).not.toContain(KEY);
    figures.failed++;
  }

  if (cell.stalled) {
    // The watchdog fires after STALL_MS of silence; the stalled attempt ends soon after, never before.
    const stalledAttempt = played.elapsedMs;
    expect.soft(stalledAttempt, where).toBeGreaterThanOrEqual(STALL_MS - 5);
    expect.soft(stalledAttempt, where).toBeLessThan(STALL_MS + 1_500);
    if (cell.expect.decision === 'fail')
      expect.soft((played.error as ProviderCallError).stalled, where).toBe(true);
    figures.stalls++;
    figures.slowestStallMs = Math.max(figures.slowestStallMs, stalledAttempt);
  }

  // Usage reported before the failure: on the error (to be charged), or added to the answer that followed.
  const failedInput = requests[0]?.usage?.input ?? 0;
  if (cell.billedBeforeFailure) {
    expect.soft(played.usage, where).toBeDefined();
    const answered = cell.expect.decision === 'retry' ? (requests.at(-1)?.usage?.input ?? 0) : 0;
    expect.soft(played.usage!.inputNoCache, where).toBe(failedInput + answered);
  } else if (cell.expect.decision === 'fail' && cell.times <= maxAttempts) {
    expect.soft(played.usage, where).toBeUndefined();
  }
}

/**
 * The ledger's side, per provider kind, through the engine (`chargeFailedCall` in agent/model-turn.ts): a call
 * that fails after the provider reported usage is committed and journaled at exactly that usage's price; one
 * whose provider reported nothing costs nothing; one whose provider reported usage no prompt could cause
 * (3,000,000 input tokens) is charged its reservation at most, the raw usage journaled apart and never counted.
 * (test/e2e/budget-and-faults.test.ts covers the Anthropic ledger under load; this is the same promise for every
 * kind.)
 */
describe.each(kinds)('a partial stream through the engine on %s', (kind) => {
  const faults: Array<[string, FakeFault, boolean]> =
    kind === 'anthropic'
      ? [
          ['an overload after content', { kind: 'stream-error', afterEvents: AFTER_CONTENT }, true],
          ['a reset after content', { kind: 'reset', afterEvents: AFTER_CONTENT }, true],
        ]
      : [
          [
            'an OpenRouter error chunk after content',
            { kind: 'stream-error', afterEvents: AFTER_CONTENT, shape: 'openrouter' },
            true,
          ],
          ['a reset after content', { kind: 'reset', afterEvents: AFTER_CONTENT }, false],
        ];

  it.each(faults.filter(([, , billed]) => billed))(
    'charges %s after implausible usage at most its reservation',
    async (_name, fault) => {
      const wild = { input: 3_000_000, output: 40 };
      const script = {
        conversations: [
          {
            name: 'r',
            match: [],
            turns: [{ text: report('research'), usage: wild, faults: [{ fault, times: 1 }] }],
          },
        ],
      };
      const server = await startFakeLlmServer({ script, apiKey: KEY });
      const workflow = testWorkflow({
        tiers: ['small'],
        tierModels: { small: `vendor:${modelIds[kind]}` },
        providers: {
          vendor: { ...provider(kind, server), pricing: { [modelIds[kind]]: { input: 1, output: 5 } } },
        },
        phases: [phase('research', { escalation: ['halt'], maxOutputTokens: 500 })],
      });
      const factories = providerModelFactories({
        env: { FAULT_KEY: KEY },
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      const journal = openJournal({ workspace: workflow.workspace });
      try {
        const outcome = await runWorkflow({
          workflow,
          journal,
          task: 'explore',
          tools: [],
          resolveModel: createModelResolver({ providers: workflow.providers, factories }),
        });
        expect(outcome.status).toBe('failed');
        expect(server.requests).toHaveLength(1);
        expect(server.requests[0]!.usage!.input).toBe(wild.input);
        const runId = (await journal.listRuns())[0]!.runId;
        const [reserved] = (await journal.listEvents(runId))
          .filter((event) => event.type === 'model-call-start')
          .map((event) => (event as { reservedUsd: number }).reservedUsd);
        const failed = (await journal.listSteps(runId)).filter((step) => step.kind === 'model-failed');
        expect(failed).toHaveLength(1);
        // $3.00 as reported (3M tokens at $1/M); the reservation is a fraction of a cent.
        expect(reserved!).toBeLessThan(0.01);
        expect(failed[0]!.costUsd).toBeCloseTo(reserved!, 12);
        expect(outcome.costUsd).toBeCloseTo(reserved!, 12);
        const recorded = failed[0]!.result as {
          usage?: unknown;
          reportedUsage: ModelUsage;
          implausible: string;
        };
        expect(recorded.reportedUsage.inputNoCache).toBe(wild.input);
        expect(recorded.usage).toBeUndefined();
        expect(recorded.implausible).toMatch(/reported implausible usage: 3000000 input tokens/);
        figures.cases++;
        figures.failed++;
        figures.wildUsage++;
      } finally {
        await journal.close();
        await server.close();
      }
    },
  );

  it.each(faults)('charges %s at the usage reported before it', async (_name, fault, billed) => {
    const script = {
      conversations: [
        { name: 'r', match: [], turns: [{ text: report('research'), faults: [{ fault, times: 1 }] }] },
      ],
    };
    const server = await startFakeLlmServer({ script, apiKey: KEY });
    const price = { input: 1, output: 5 };
    const workflow = testWorkflow({
      tiers: ['small'],
      tierModels: { small: `vendor:${modelIds[kind]}` },
      providers: { vendor: { ...provider(kind, server), pricing: { [modelIds[kind]]: price } } },
      phases: [phase('research', { escalation: ['halt'], maxOutputTokens: 500 })],
    });
    const factories = providerModelFactories({
      env: { FAULT_KEY: KEY },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const journal = openJournal({ workspace: workflow.workspace });
    try {
      const outcome = await runWorkflow({
        workflow,
        journal,
        task: 'explore',
        tools: [],
        resolveModel: createModelResolver({ providers: workflow.providers, factories }),
      });
      expect(outcome.status).toBe('failed');
      expect(server.requests).toHaveLength(1);
      const failed = (await journal.listSteps((await journal.listRuns())[0]!.runId)).filter(
        (step) => step.kind === 'model-failed',
      );
      const recorded = server.requests[0]!.usage!;
      if (!billed) {
        expect(failed).toEqual([]);
        expect(outcome.costUsd).toBe(0);
        return;
      }
      expect(failed).toHaveLength(1);
      const usage = (failed[0]!.result as { usage: ModelUsage }).usage;
      expect(usage.inputNoCache).toBe(recorded.input);
      const expected = costOfUsage(usage, lookupPrice(modelIds[kind], price)!);
      expect(failed[0]!.costUsd).toBeCloseTo(expected, 12);
      expect(outcome.costUsd).toBeCloseTo(expected, 12);
      expect(JSON.stringify(failed)).not.toContain(KEY);
    } finally {
      await journal.close();
      await server.close();
    }
  });
});
