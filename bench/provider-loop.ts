/**
 * The agent loop through a real provider client: the Anthropic adapter (AI SDK) against the fake LLM server on
 * 127.0.0.1, which answers at once, so the time measured is phasewise + the SDK + HTTP on loopback. Also the
 * share of input tokens billed at cache-read price over the loop, with the fake server applying Anthropic's
 * caching rules to the cache breakpoints the adapter sets (system prompt and the growing conversation).
 *
 * Run alone: npx tsx bench/provider-loop.ts [--runs 5] [--turns 20]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAgents } from '../src/config/index.js';
import { openJournal } from '../src/journal/index.js';
import { runWorkflow } from '../src/orchestrator/run-workflow.js';
import { providerModelFactories } from '../src/provider/factories.js';
import { createModelResolver } from '../src/provider/resolver.js';
import { startFakeLlmServer } from '../src/testing/index.js';
import { createWorkspaceTools } from '../src/tools/index.js';
import { phase, testWorkflow } from '../test/support/workflow.js';
import { argValue, formatStats, stats } from './stats.js';

const example = join(import.meta.dirname, '..', 'examples', 'auth-service');
const files = [
  'src/auth.js',
  'src/server.js',
  'src/session-store.js',
  'test/auth.test.js',
  'package.json',
  'README.md',
];

function script(turns: number) {
  const report = builtinAgents.research!.deliverables.map((section) => `## ${section}\nnotes`).join('\n\n');
  return {
    conversations: [
      {
        name: 'research',
        match: [],
        turns: [
          ...Array.from({ length: turns - 1 }, (_, turn) => ({
            toolCalls: [
              {
                name: 'read',
                input: { path: files[turn % files.length], offset: 1 + Math.floor(turn / files.length) },
              },
            ],
          })),
          { text: report },
        ],
      },
    ],
  };
}

export async function providerLoop(options: { runs: number; turns: number }): Promise<string[]> {
  const perStep: number[] = [];
  const cacheShare: number[] = [];
  let modelSteps = 0;
  for (let run = 0; run < options.runs; run += 1) {
    const server = await startFakeLlmServer({ script: script(options.turns), apiKey: 'bench' });
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-bench-'));
    cpSync(example, workspace, { recursive: true });
    const workflow = testWorkflow({
      workspace,
      tiers: ['small'],
      tierModels: { small: 'vendor:claude-sonnet-4-5' },
      providers: {
        vendor: {
          name: 'vendor',
          kind: 'anthropic',
          baseUrl: server.anthropicBaseUrl,
          apiKeyEnv: 'KEY',
          pricing: {},
        },
      },
      agents: { research: builtinAgents.research! },
      phases: [phase('research', { maxTurns: options.turns + 1, costLimitUsd: 5 })],
    });
    const journal = openJournal({ workspace });
    const factories = providerModelFactories({ env: { KEY: 'bench' } });
    const started = performance.now();
    const outcome = await runWorkflow({
      workflow,
      journal,
      task: 'Map the authentication code.',
      tools: createWorkspaceTools(),
      resolveModel: createModelResolver({ providers: workflow.providers, factories }),
    });
    const elapsed = performance.now() - started;
    if (outcome.status !== 'succeeded')
      throw new Error(`bench run ended ${outcome.status}: ${outcome.message}`);
    const steps = await journal.listSteps(outcome.runId);
    const usage = steps
      .filter((step) => step.kind === 'model')
      .map(
        (step) =>
          (step.result as { usage: { inputNoCache: number; cacheRead: number; cacheWrite: number } }).usage,
      );
    const input = usage.reduce((sum, u) => sum + u.inputNoCache + u.cacheRead + u.cacheWrite, 0);
    cacheShare.push((100 * usage.reduce((sum, u) => sum + u.cacheRead, 0)) / input);
    modelSteps = usage.length;
    perStep.push(elapsed / steps.length);
    await journal.close();
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  return [
    `agent loop through the Anthropic adapter and the fake server: ${modelSteps} model turns (${modelSteps - 1} read tool calls)`,
    formatStats('  wall time per recorded step (model + tool + ...)', stats(perStep), 'ms'),
    formatStats('  input tokens billed at cache-read price', stats(cacheShare), '%', 1),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await providerLoop({ runs: argValue('runs', 5), turns: argValue('turns', 20) })).join('\n'));
}
