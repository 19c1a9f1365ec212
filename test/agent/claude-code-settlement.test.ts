/**
 * What a Claude Code session is charged, replayed from recorded output (test/fixtures/claude-code/README.md)
 * through the runtime's own charging and settlement: each request at its own tier, the result's remainder at base
 * rates, `result.usage` when there is no `modelUsage`, 1-hour cache writes at the 1-hour rate — and the report's
 * tokens, read from the journal, holding what was settled. Every figure is worked out by hand below.
 */
import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../src/events/index.js';
import { recordedMessages, replaySession } from './claude-code-replay.js';

type ModelCallEnd = Extract<EventInput, { type: 'model-call-end' }>;
const callEnds = (events: EventInput[]) =>
  events.filter((event): event is ModelCallEnd => event.type === 'model-call-end');

/**
 * The recorded 41-request Sonnet session's totals (claude-code-result-error-max-turns.jsonl), in $ per million
 * tokens at Sonnet 4.5's base rates — input 3, 5-minute cache writes 3.75, cache reads 0.30, output 15:
 *   2409 × 3 + 29104 × 3.75 + 1617801 × 0.30 + 15946 × 15 = 7227 + 109140 + 485340.3 + 239190 = 840897.3
 * At the long-context rates (6, 7.5, 0.60, 22.5), as if the session were one request of 1,649,314 input tokens:
 *   14454 + 218280 + 970680.6 + 358785 = 1562199.6 — the $1.56 of the issue.
 */
const SONNET_41_REQUESTS_USD = 840_897.3 / 1e6;
const SONNET_41_TOKENS = { inputNoCache: 2409, cacheRead: 1_617_801, cacheWrite: 29_104, output: 15_946 };

describe('settling a Claude Code session', () => {
  it('charges 41 small requests each at its own tier, not their 1.6M-token sum at the long-context rates', async () => {
    // Every request of the fixture is below 200K input tokens (the largest, the last, is 2 + 390 + 52632), so
    // the price of each at its own tier is the base price, and their sum is the base price of the totals.
    const starts = recordedMessages('claude-code-sonnet-41-requests.jsonl')
      .map(
        (message) =>
          (message as { event?: { type: string; message?: { usage: Record<string, number> } } }).event,
      )
      .filter((event) => event?.type === 'message_start')
      .map((event) => event!.message!.usage);
    expect(starts).toHaveLength(41);
    const inputs = starts.map(
      (usage) => usage.input_tokens! + usage.cache_read_input_tokens! + usage.cache_creation_input_tokens!,
    );
    expect(Math.max(...inputs)).toBe(53_024);
    expect(inputs.reduce((sum, input) => sum + input, 0)).toBe(1_649_314);

    const run = await replaySession('claude-code-sonnet-41-requests.jsonl', 'claude-sonnet-4-5');
    // modelUsage is keyed `claude-sonnet-4-5` (the id asked for), the responses `claude-sonnet-4-5-20250929`
    // (the snapshot that answered): the same model, already charged, so nothing is left to settle.
    expect(run.costUsd).toBeCloseTo(SONNET_41_REQUESTS_USD, 12);
    expect(run.charges.map((charge) => charge.key.split('/').at(-1))).toEqual(
      Array.from({ length: 41 }, (_, n) => `m${n + 1}`),
    );
    expect(run.report.costUsd).toBeCloseTo(SONNET_41_REQUESTS_USD, 12);
    expect(run.report.tokens).toMatchObject(SONNET_41_TOKENS);
  });

  it("settles a helper model's many small calls at that model's base rates, not the session model's", async () => {
    // The same session, its result also counting helper calls Claude Code made on Haiku without streaming them
    // (real results list such an entry beside the session's model): say 41 calls of 6000 input and 20 output
    // tokens, 246000 input in all. At Haiku 4.5's base rates (input 1, output 5 $ per million tokens):
    //   246000 × 1 + 820 × 5 = 250100; before: at Sonnet's long-context rates, 246000 × 6 + 820 × 22.5.
    const withHelper = (messages: unknown[]) =>
      messages.map((message) => {
        const result = message as { type: string; modelUsage?: Record<string, unknown> };
        if (result.type !== 'result') return message;
        const helper = {
          inputTokens: 246_000,
          outputTokens: 820,
          cacheReadInputTokens: 0,
          cacheCreationInputTokens: 0,
        };
        return { ...result, modelUsage: { ...result.modelUsage, 'claude-haiku-4-5-20251001': helper } };
      });
    const run = await replaySession('claude-code-sonnet-41-requests.jsonl', 'claude-sonnet-4-5', withHelper);
    expect(run.costUsd).toBeCloseTo(SONNET_41_REQUESTS_USD + 250_100 / 1e6, 12);
    const helper = run.charges.at(-1)!;
    expect(helper.key).toMatch(/\/rest-claude-haiku-4-5-20251001$/);
    expect(helper.costUsd).toBeCloseTo(250_100 / 1e6, 12);
    expect(run.report.tokens.inputNoCache).toBe(2409 + 246_000);
  });

  it('settles a result it saw no response of at base rates, labelled as the settlement, not "turn 0"', async () => {
    // The recorded result line alone: all 41 requests are the remainder, of unknown individual sizes.
    const run = await replaySession('claude-code-result-error-max-turns.jsonl', 'claude-sonnet-4-5');
    expect(run.costUsd).toBeCloseTo(SONNET_41_REQUESTS_USD, 12);
    expect(run.charges).toHaveLength(1);
    expect(run.charges[0]!.key).toMatch(/\/s1\/rest-claude-sonnet-5$/);
    expect(run.report.tokens).toMatchObject(SONNET_41_TOKENS);
    const [settled] = callEnds(run.events);
    expect(settled).toMatchObject({ label: 'settlement of session 1', replayed: false });
    expect(settled!.costUsd).toBeCloseTo(SONNET_41_REQUESTS_USD, 12);
    // A resumed run replays the session from the journal, settlement included, under the same label.
    const replayed = callEnds(await run.resume());
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ label: 'settlement of session 1', replayed: true });
    expect(replayed[0]!.tokens).toMatchObject(SONNET_41_TOKENS);
  });

  it('without modelUsage, settles from result.usage, and prices the 1-hour cache writes Claude Code billed', async () => {
    // claude-code-stream-json-tool-session.jsonl (Haiku 4.5: input 1, output 5, cache reads 0.10, 5-minute
    // writes 1.25, 1-hour writes 2, $ per million tokens). Its frames are snapshots: output 3 + 3, while
    // result.usage says 191. Nothing in it says how long the 5885 cache writes live; Claude Code's figure does:
    //   result.usage at 5-minute writes: 17 × 1 + 5885 × 1.25 + 5656 × 0.10 + 191 × 5 = 8893.85
    //   total_cost_usd 13307.6 − 8893.85 = 4413.75 = 5885 × (2 − 1.25): every write was a 1-hour write.
    //   17 × 1 + 5885 × 2 + 5656 × 0.10 + 191 × 5 = 17 + 11770 + 565.6 + 955 = 13307.6
    // (Before: the snapshots alone, 17 + 7356.25 + 565.6 + 6 × 5 = 7968.85, the issue's $0.0080.)
    const run = await replaySession('claude-code-stream-json-tool-session.jsonl', 'claude-haiku-4-5');
    expect(run.costUsd).toBeCloseTo(13_307.6 / 1e6, 12);
    expect(run.charges.map((charge) => charge.key.split('/').at(-1))).toEqual([
      'm1',
      'm2',
      'rest-claude-haiku-4-5',
      'rest-cache-lifetime',
    ]);
    expect(run.charges[2]!.result.usage).toMatchObject({ output: 185, inputNoCache: 0, cacheWrite: 0 });
    expect(run.report.tokens).toMatchObject({
      inputNoCache: 17,
      cacheRead: 5656,
      cacheWrite: 5885,
      output: 191,
    });
    expect(run.report.costUsd).toBeCloseTo(13_307.6 / 1e6, 12);
  });

  it('leaves the 5-minute rate where the result says the writes were 5-minute ones', async () => {
    // claude-code-stream-json-simple.jsonl (Sonnet 4.5): its result splits the writes (21588 at 5 minutes), and
    // its frame understates output (2 of 5): 3 × 3 + 21588 × 3.75 + 5 × 15 = 81039, total_cost_usd's figure.
    const run = await replaySession('claude-code-stream-json-simple.jsonl', 'claude-sonnet-4-5');
    expect(run.costUsd).toBeCloseTo(81_039 / 1e6, 12);
    expect(run.report.tokens).toMatchObject({ inputNoCache: 3, cacheWrite: 21_588, output: 5 });
  });
});
