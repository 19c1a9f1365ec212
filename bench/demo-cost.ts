/**
 * Cost efficiency on the demo workload (issue 8, part 4): the demo's five phases through the CLI's run command
 * and the real Anthropic client against the fake LLM server. It reports the share of input tokens billed at
 * cache-read price, and checks phasewise's own cost (the journal) against the fake server's billing of the same
 * requests, priced with the same table: the two must agree exactly.
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
import { loadFakeLlmScript, startFakeLlmServer } from '../src/testing/index.js';

const examples = join(import.meta.dirname, '..', 'examples');

export async function demoCost(): Promise<string[]> {
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
    writeFileSync(join(workspace, 'phasewise.yaml'), demoConfig(server.anthropicBaseUrl));
    commitExample(workspace);
    process.env[DEMO_KEY_ENV] = DEMO_KEY;
    process.chdir(workspace);
    // The run's NDJSON events are not the figures.
    process.stdout.write = (() => true) as typeof process.stdout.write;
    const exitCode = await runCommand(undefined, { json: true });
    process.stdout.write = write;
    if (exitCode !== 0) throw new Error(`the demo run exited ${exitCode}`);
    const journal = openJournal({ workspace });
    const [run] = await journal.listRuns();
    await journal.close();
    let billed = 0;
    let input = 0;
    let cacheRead = 0;
    for (const request of server.requests) {
      const usage = request.usage;
      if (usage === undefined) continue;
      const model = (request.body as { model: string }).model;
      const price = lookupPrice(model);
      if (price === undefined) throw new Error(`no price for ${model}`);
      billed += costOfUsage(
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
    const recorded = run!.costUsd;
    const difference = Math.abs(recorded - billed);
    // Sums of the same terms in another order may differ in the last bits of a double, nothing more.
    const agree = difference < 1e-9;
    return [
      `demo workload: ${server.requests.length} requests through the Anthropic client to the fake server`,
      `  input tokens billed at cache-read price        ${((100 * cacheRead) / input).toFixed(1)} % of ${input} (the rest written to the cache or uncached)`,
      `  phasewise's cost (journal) vs the server's billing  $${recorded.toFixed(6)} vs $${billed.toFixed(6)}: ${agree ? 'agree' : 'DIFFER'} (difference ${difference.toExponential(1)} USD)`,
    ];
  } finally {
    process.stdout.write = write;
    process.chdir(cwd);
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await demoCost()).join('\n'));
