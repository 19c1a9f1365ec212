/**
 * Cost efficiency on the demo workload (issue 8, part 4; issue 21): the demo's five phases through the CLI's run
 * command and the real Anthropic client against the fake LLM server. It reports the share of input tokens billed
 * at cache-read price, in all and per phase (as the report shows it), and checks phasewise's own cost (the
 * journal) against the fake server's billing of the same requests, priced with the same table: the two must agree
 * exactly.
 *
 * Ablation rows replay the recorded Anthropic requests through a fresh emulated cache, at the times they arrived,
 * with one idea undone or changed — each row says which — so what each idea is worth is measured on the same
 * requests. Then the same run through the real OpenAI client (chat completions, automatic caching,
 * `prompt_cache_key`), with its `cached_tokens` share.
 *
 * Run alone: npx tsx bench/demo-cost.ts
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costOfUsage } from '../src/budget/cost.js';
import { lookupPrice } from '../src/budget/price-table.js';
import { commitExample, DEMO_KEY, DEMO_KEY_ENV, demoConfig } from '../src/cli/commands/demo.js';
import { runCommand } from '../src/cli/commands/run.js';
import { openJournal } from '../src/journal/index.js';
import { buildReport } from '../src/report/index.js';
import { type AnthropicCacheUsage, AnthropicPromptCache } from '../src/testing/fake-anthropic-cache.js';
import type { RecordedRequest } from '../src/testing/fake-llm-request.js';
import { loadFakeLlmScript, startFakeLlmServer } from '../src/testing/index.js';

const examples = join(import.meta.dirname, '..', 'examples');

type Api = 'anthropic' | 'openai';
type Usage = NonNullable<RecordedRequest['usage']>;
interface DemoRun {
  requests: RecordedRequest[];
  costUsd: number;
  phaseShares: Array<{ id: string; model: string; share: number | null }>;
}

/** The demo's models on OpenAI: the tiers keep their names, the cheapest on gpt-5-mini. */
function openAiConfig(baseUrl: string): string {
  return demoConfig(baseUrl)
    .replace('kind: anthropic', 'kind: openai')
    .replace('demo:claude-haiku-4-5', 'demo:gpt-5-mini')
    .replace('demo:claude-sonnet-4-5', 'demo:gpt-5')
    .replace('demo:claude-opus-4-5', 'demo:gpt-5');
}

async function runDemo(api: Api): Promise<DemoRun> {
  const server = await startFakeLlmServer({
    script: loadFakeLlmScript(join(examples, 'demo', 'script.yaml')),
    apiKey: DEMO_KEY,
  });
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-demo-'));
  const cwd = process.cwd();
  const write = process.stdout.write.bind(process.stdout);
  try {
    cpSync(join(examples, 'auth-service'), workspace, { recursive: true });
    cpSync(join(examples, 'demo', 'TASK.md'), join(workspace, 'TASK.md'));
    const config =
      api === 'anthropic' ? demoConfig(server.anthropicBaseUrl) : openAiConfig(server.openaiBaseUrl);
    writeFileSync(join(workspace, 'phasewise.yaml'), config);
    commitExample(workspace);
    process.env[DEMO_KEY_ENV] = DEMO_KEY;
    process.chdir(workspace);
    // The run's NDJSON events are not the figures.
    process.stdout.write = (() => true) as typeof process.stdout.write;
    const exitCode = await runCommand(undefined, { json: true });
    process.stdout.write = write;
    if (exitCode !== 0) throw new Error(`the demo run on ${api} exited ${exitCode}`);
    const journal = openJournal({ workspace });
    try {
      const [run] = await journal.listRuns();
      const report = await buildReport(journal, run!);
      return {
        requests: server.requests,
        costUsd: run!.costUsd,
        phaseShares: report.phases.map((phase) => ({
          id: phase.id,
          model: phase.models.join(', '),
          share: phase.cacheReadShare,
        })),
      };
    } finally {
      await journal.close();
    }
  } finally {
    process.stdout.write = write;
    process.chdir(cwd);
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The fake server's billing of some requests' usage, and their input tokens read from the cache. */
function billing(entries: Array<{ model: string; usage: Usage }>) {
  let usd = 0;
  let input = 0;
  let cacheRead = 0;
  for (const { model, usage } of entries) {
    const price = lookupPrice(model);
    if (price === undefined) throw new Error(`no price for ${model}`);
    usd += costOfUsage(
      {
        inputNoCache: usage.input,
        cacheRead: usage.cacheRead,
        cacheWrite: usage.cacheWrite5m + usage.cacheWrite1h,
        cacheWrite1h: usage.cacheWrite1h,
        output: usage.output,
      },
      price,
    );
    input += usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;
    cacheRead += usage.cacheRead;
  }
  return { usd, input, cacheRead, share: input === 0 ? 0 : cacheRead / input };
}

const served = (requests: RecordedRequest[]) =>
  requests.flatMap((request) =>
    request.usage === undefined
      ? []
      : [{ request, model: (request.body as { model: string }).model, usage: request.usage }],
  );

type Body = Record<string, unknown>;
type Block = Record<string, unknown>;

/** Every content block of a body, system and messages, in order (tools carry no breakpoint here). */
function blocksOf(body: Body): Block[] {
  const system = Array.isArray(body.system) ? (body.system as Block[]) : [];
  const messages = (body.messages as Array<{ content: unknown }>).flatMap((message) =>
    Array.isArray(message.content) ? (message.content as Block[]) : [],
  );
  return [...system, ...messages];
}

/** The breakpoints a layout sets, given the recorded body (which has the live layout's). */
type Layout = (body: Body) => Body;

/** The live layout: the bodies as sent. */
const asSent: Layout = (body) => body;

/** Before the shared opening got its breakpoint: only the system prompt and the last block of the last message. */
const twoBreakpoints: Layout = (body) => {
  const copy = structuredClone(body);
  const blocks = blocksOf(copy);
  const system = Array.isArray(copy.system) ? (copy.system as Block[]).length : 0;
  blocks.forEach((block, index) => {
    if (index >= system && index < blocks.length - 1) delete block.cache_control;
  });
  return copy;
};

/** A one-hour lifetime on the stable prefix (system and shared opening), five minutes on the conversation. */
const hourPrefix: Layout = (body) => {
  const copy = structuredClone(body);
  const blocks = blocksOf(copy);
  blocks.forEach((block, index) => {
    if (block.cache_control !== undefined && index < blocks.length - 1)
      block.cache_control = { type: 'ephemeral', ttl: '1h' };
  });
  return copy;
};

/** The recorded Anthropic requests replayed through a fresh cache, in arrival order and at their arrival times. */
function replay(
  requests: RecordedRequest[],
  layout: Layout,
  minTokens?: number,
): Array<{ model: string; usage: Usage }> {
  let now = 0;
  const cache = new AnthropicPromptCache({
    ...(minTokens === undefined ? {} : { minTokens }),
    now: () => now,
  });
  return served(requests).map(({ request, model, usage }) => {
    now = request.at;
    const split: AnthropicCacheUsage = cache.account(layout(request.body as Body));
    return { model, usage: { ...split, output: usage.output } };
  });
}

const percent = (share: number | null) =>
  share === null ? '   -  ' : `${(100 * share).toFixed(1).padStart(5)} %`;

export async function demoCost(): Promise<string[]> {
  const anthropic = await runDemo('anthropic');
  const live = billing(served(anthropic.requests));
  const difference = Math.abs(anthropic.costUsd - live.usd);
  // Sums of the same terms in another order may differ in the last bits of a double, nothing more.
  const agree = difference < 1e-9;
  const lines = [
    `demo workload: ${anthropic.requests.length} requests through the Anthropic client to the fake server`,
    `  input tokens billed at cache-read price        ${percent(live.share)} of ${live.input} (the rest written to the cache or uncached)`,
    `  phasewise's cost (journal) vs the server's billing  $${anthropic.costUsd.toFixed(6)} vs $${live.usd.toFixed(6)}: ${agree ? 'agree' : 'DIFFER'} (difference ${difference.toExponential(1)} USD)`,
    '  per phase (the report\'s "cache read" column):',
    ...anthropic.phaseShares.map(
      (phase) => `    ${phase.id.padEnd(16)} ${percent(phase.share)}  ${phase.model}`,
    ),
    '  ablation: the same requests replayed through a fresh emulated cache (share read, cost of the run)',
  ];
  const rows: Array<[string, Array<{ model: string; usage: Usage }>]> = [
    ['as sent: breakpoints on system, shared opening, last message', replay(anthropic.requests, asSent)],
    [
      "without the shared opening's breakpoint (system + last only)",
      replay(anthropic.requests, twoBreakpoints),
    ],
    ['1-hour lifetime on system and shared opening', replay(anthropic.requests, hourPrefix)],
    [
      "as sent, if every model cached from 1024 tokens (Sonnet 4.5's minimum)",
      replay(anthropic.requests, asSent, 1024),
    ],
    ["the same, without the shared opening's breakpoint", replay(anthropic.requests, twoBreakpoints, 1024)],
  ];
  for (const [label, usages] of rows) {
    const figures = billing(usages);
    lines.push(`    ${label.padEnd(74)} ${percent(figures.share)}  $${figures.usd.toFixed(6)}`);
  }
  const openai = await runDemo('openai');
  const openAiFigures = billing(served(openai.requests));
  lines.push(
    `demo workload on OpenAI: ${openai.requests.length} requests through the OpenAI client (chat completions, prompt_cache_key per run and phase)`,
    `  input tokens reported as cached_tokens         ${percent(openAiFigures.share)} of ${openAiFigures.input}; cost $${openai.costUsd.toFixed(6)}`,
    ...openai.phaseShares.map(
      (phase) => `    ${phase.id.padEnd(16)} ${percent(phase.share)}  ${phase.model}`,
    ),
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await demoCost()).join('\n'));
