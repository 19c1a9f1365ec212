/**
 * The attempt's prompt-cache lifetime: five minutes while turns come quickly, an hour from the first gap that a
 * five-minute entry would not have survived. Checked three ways: the rule alone, the agent loop asking it only for
 * calls it makes, and what the hour saves, priced from the usage the fake Anthropic server bills through the real
 * client (its cache keeps entries five minutes or an hour by the same clock).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AttemptCacheLifetime,
  DEFAULT_CACHE_LIFETIME_MS,
  LONG_CACHE_LIFETIME_MS,
  SHORT_GAPS_TO_RETURN,
} from '../../src/agent/cache-lifetime.js';
import { costOfUsage } from '../../src/budget/cost.js';
import { lookupPrice } from '../../src/budget/price-table.js';
import type { CacheLifetime, ModelMessage } from '../../src/provider/model.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import type { Tool } from '../../src/tools/tool.js';
import { modelFor, request } from '../provider/support/models.js';
import { type EngineHarness, harness } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const minutes = (n: number) => n * 60_000;

function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('AttemptCacheLifetime', () => {
  const lifetimesFor = (gaps: number[]) => {
    const clock = manualClock();
    const lifetime = new AttemptCacheLifetime(clock);
    const seen: CacheLifetime[] = [lifetime.next()];
    for (const gap of gaps) {
      clock.advance(gap);
      seen.push(lifetime.next());
    }
    return seen;
  };

  it('asks for five minutes while every gap is within them', () => {
    // Exactly five minutes still finds the entry (it lives five minutes from its last use).
    expect(lifetimesFor([minutes(1), DEFAULT_CACHE_LIFETIME_MS, 0])).toEqual(['5m', '5m', '5m', '5m']);
  });

  it(`asks for an hour after a gap only an hour bridges, until ${SHORT_GAPS_TO_RETURN} gaps in a row were not`, () => {
    const short = minutes(1);
    expect(lifetimesFor([minutes(5) + 1, short, short, short, short])).toEqual([
      '5m',
      '1h',
      '1h',
      '1h',
      '5m',
      '5m',
    ]);
    // Another long gap before the third short one keeps the hour.
    expect(lifetimesFor([minutes(7), short, short, minutes(7), short, short, short])).toEqual([
      '5m',
      '1h',
      '1h',
      '1h',
      '1h',
      '1h',
      '1h',
      '5m',
    ]);
  });

  it('does not pay for an hour across gaps longer than one: no entry survives them', () => {
    expect(lifetimesFor([LONG_CACHE_LIFETIME_MS, LONG_CACHE_LIFETIME_MS + 1, minutes(70)])).toEqual([
      '5m',
      '1h',
      '1h',
      '1h',
    ]);
    expect(lifetimesFor([minutes(70), minutes(70), minutes(70)])).toEqual(['5m', '5m', '5m', '5m']);
  });
});

let open: EngineHarness[] = [];
const servers: FakeLlmServer[] = [];
afterEach(async () => {
  for (const h of open) h.close();
  open = [];
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('the agent loop', () => {
  it("sends five minutes until a tool call outlasts them, then an hour for the rest of the attempt's calls", async () => {
    const clock = manualClock();
    let runs = 0;
    // A tool that takes seven minutes the second time it runs (as a test suite run by a command would).
    const slow: Tool = {
      name: 'read',
      description: 'reads, slowly',
      inputSchema: { type: 'object' },
      permission: 'read',
      execute: async () => {
        runs += 1;
        clock.advance(runs === 2 ? minutes(7) : minutes(1));
        return { output: `run ${runs}`, isError: false };
      },
    };
    const turns = [1, 2, 3].map((n) => ({ toolCalls: [{ name: 'read', input: { n } }] }));
    const script = {
      phases: { research: [{ turns: [...turns, { text: report('research') }] }] },
    };
    const h = harness(testWorkflow({ phases: [phase('research', { maxTurns: 10 })] }), script);
    open.push(h);
    const outcome = await h.run({ tools: [slow], _internal: { clock } });
    expect(outcome.status).toBe('succeeded');
    expect(runs).toBe(3);
    expect(h.backend.calls.map((call) => call.request.cacheLifetime)).toEqual(['5m', '5m', '1h', '1h']);
  });
});

describe('what the hour saves', () => {
  const longSystem = 'You are the implementation agent. Keep every change small and tested. '.repeat(120);

  /** Four turns of a tool loop, `gapMs` apart, each lifetime chosen by `choose`; returns what the input cost. */
  async function loop(gapMs: number, choose: (lifetime: AttemptCacheLifetime) => CacheLifetime) {
    const clock = manualClock();
    const server = await startFakeLlmServer({
      script: {
        conversations: [
          {
            name: 'loop',
            match: ['implementation agent'],
            turns: [1, 2, 3, 4].map((n) => ({ text: `Turn ${n}.` })),
          },
        ],
      },
      now: clock.now,
    });
    servers.push(server);
    const model = modelFor('anthropic', new URL(server.anthropicBaseUrl).origin);
    const lifetime = new AttemptCacheLifetime(clock);
    const messages: ModelMessage[] = [{ role: 'user', content: 'Start the task.' }];
    const price = lookupPrice('claude-sonnet-4-5')!;
    let costUsd = 0;
    const reads: number[] = [];
    for (let turn = 1; turn <= 4; turn += 1) {
      if (turn > 1) clock.advance(gapMs);
      const response = await model.generate(
        request({ system: longSystem, messages: [...messages], cacheLifetime: () => choose(lifetime) }),
      );
      costUsd += costOfUsage({ ...response.usage, output: 0 }, price);
      reads.push(response.usage.cacheRead);
      messages.push(
        { role: 'assistant', content: [{ type: 'text', text: `Turn ${turn} done.` }] },
        { role: 'user', content: `Continue after turn ${turn}.` },
      );
    }
    return { costUsd, reads };
  }

  it('reads across gaps of seven minutes that five-minute entries do not survive, for less', async () => {
    const fiveMinutes = await loop(minutes(7), () => '5m');
    const adaptive = await loop(minutes(7), (lifetime) => lifetime.next());
    // Five minutes: every turn writes the whole prompt again. The rule: turn 2 writes for an hour, 3 and 4 read.
    expect(fiveMinutes.reads).toEqual([0, 0, 0, 0]);
    expect(adaptive.reads[0]).toBe(0);
    expect(adaptive.reads[1]).toBe(0);
    expect(adaptive.reads[2]).toBeGreaterThan(1_000);
    expect(adaptive.reads[3]).toBeGreaterThan(adaptive.reads[2]!);
    expect(adaptive.costUsd).toBeLessThan(fiveMinutes.costUsd * 0.75);
  });

  it('changes nothing while turns come within five minutes', async () => {
    const fiveMinutes = await loop(minutes(2), () => '5m');
    const adaptive = await loop(minutes(2), (lifetime) => lifetime.next());
    expect(adaptive).toEqual(fiveMinutes);
    expect(adaptive.reads.slice(1).every((read) => read > 1_000)).toBe(true);
  });
});
