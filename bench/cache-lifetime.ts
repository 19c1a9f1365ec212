/**
 * When a one-hour cache write pays off (issue 21): a tool loop of one phase, its turns some minutes apart, through
 * the real Anthropic client against the fake LLM server, whose emulated cache keeps an entry five minutes or an
 * hour from its last use by the bench's own clock. Each pattern of gaps is run three ways — always five minutes,
 * always an hour, and phasewise's rule (`src/agent/cache-lifetime.ts`: an hour after a gap only an hour bridges,
 * five minutes again after three gaps in a row that were not) — and the input is priced at Claude Sonnet 4.5's
 * rates (output is the same in all three).
 *
 * Run alone: npx tsx bench/cache-lifetime.ts
 */
import { AttemptCacheLifetime } from '../src/agent/cache-lifetime.js';
import { costOfUsage } from '../src/budget/cost.js';
import { lookupPrice } from '../src/budget/price-table.js';
import { createAiSdkModel } from '../src/provider/ai-sdk-model.js';
import type { CacheLifetime, ModelMessage } from '../src/provider/model.js';
import { startFakeLlmServer } from '../src/testing/index.js';

const MINUTE = 60_000;
const TURNS = 12;
/** About 6,000 tokens of role prompt and tools, as the demo's implementation phase sends. */
const SYSTEM = 'You are the implementation agent. Keep every change small, tested and explained. '.repeat(
  300,
);
/** What each turn adds to the conversation: a tool result of about 1,500 tokens. */
const TOOL_RESULT = 'line of a test run or a file read back to the model; '.repeat(110);

const patterns: Record<string, (turn: number) => number> = {
  'every gap 2 min': () => 2 * MINUTE,
  'every gap 7 min (a slow test suite each turn)': () => 7 * MINUTE,
  'gaps of 1 and 7 min, alternating': (turn) => (turn % 2 === 0 ? 7 * MINUTE : MINUTE),
  'gaps of 2, 2 and 7 min, repeated': (turn) => (turn % 3 === 0 ? 7 * MINUTE : 2 * MINUTE),
  'one gap of 7 min, then 2 min (the rule at its worst)': (turn) => (turn === 2 ? 7 * MINUTE : 2 * MINUTE),
  'every gap 70 min (beyond the hour)': () => 70 * MINUTE,
};

type Choice = 'always 5m' | 'always 1h' | 'the rule';

async function inputCost(gap: (turn: number) => number, choice: Choice): Promise<number> {
  let now = 1_000_000;
  const server = await startFakeLlmServer({
    script: {
      conversations: [
        {
          name: 'loop',
          match: ['implementation agent'],
          turns: Array.from({ length: TURNS }, (_, n) => ({ text: `Turn ${n + 1} done.` })),
        },
      ],
    },
    now: () => now,
  });
  try {
    const model = createAiSdkModel({
      provider: { name: 'anthropic', kind: 'anthropic', baseUrl: server.anthropicBaseUrl, pricing: {} },
      modelId: 'claude-sonnet-4-5',
      env: { ANTHROPIC_API_KEY: 'bench-key' },
    });
    const rule = new AttemptCacheLifetime({ now: () => now });
    const price = lookupPrice('claude-sonnet-4-5')!;
    const messages: ModelMessage[] = [{ role: 'user', content: 'Start the task.' }];
    let usd = 0;
    for (let turn = 1; turn <= TURNS; turn += 1) {
      if (turn > 1) now += gap(turn);
      const cacheLifetime: CacheLifetime =
        choice === 'always 5m' ? '5m' : choice === 'always 1h' ? '1h' : rule.next();
      const response = await model.generate({
        system: SYSTEM,
        messages: [...messages],
        tools: [],
        maxOutputTokens: 256,
        cacheLifetime: () => cacheLifetime,
        abortSignal: new AbortController().signal,
        metadata: { runId: 'bench', phaseId: 'implementation', attempt: 1, turn },
      });
      usd += costOfUsage({ ...response.usage, output: 0 }, price);
      messages.push(
        { role: 'assistant', content: [{ type: 'text', text: `Turn ${turn} done.` }] },
        { role: 'user', content: TOOL_RESULT },
      );
    }
    return usd;
  } finally {
    await server.close();
  }
}

const choices: Choice[] = ['always 5m', 'always 1h', 'the rule'];

export async function cacheLifetimeBench(): Promise<string[]> {
  const lines = [
    `Cache lifetime: a tool loop of ${TURNS} turns, input cost in USD at Claude Sonnet 4.5's prices`,
    '',
    `| gaps between turns | ${choices.join(' | ')} | the rule against 5m |`,
    `| --- | ${choices.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const [name, gap] of Object.entries(patterns)) {
    const costs: number[] = [];
    for (const choice of choices) costs.push(await inputCost(gap, choice));
    const change = (costs[2]! / costs[0]! - 1) * 100;
    lines.push(
      `| ${name} | ${costs.map((usd) => usd.toFixed(4)).join(' | ')} | ${change >= 0 ? '+' : ''}${change.toFixed(1)} % |`,
    );
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await cacheLifetimeBench()).join('\n'));
