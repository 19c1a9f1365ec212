/**
 * A provider that reports usage no prompt could cause (3,000,000 input tokens for a prompt of a few thousand) is
 * not believed: the call fails as a non-retryable ProviderError naming the numbers, the run is charged at most
 * the call's reservation, never the reported figure, and the raw usage is journaled. Through the built CLI, the
 * real Anthropic and OpenAI clients and the fake LLM server speaking each wire format.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { openJournal } from '../../src/journal/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';

const KEY = 'sk-implausible-usage-key-71d0c3';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const researchReport = builtinAgents
  .research!.deliverables.map((section) => `## ${section}\nNotes on the service.`)
  .join('\n\n');

const wire = {
  anthropic: { model: 'claude-haiku-4-5', base: (s: FakeLlmServer) => s.anthropicBaseUrl },
  openai: { model: 'gpt-5-nano', base: (s: FakeLlmServer) => s.openaiBaseUrl },
} as const;

function workspaceFor(kind: keyof typeof wire, baseUrl: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-usage-'));
  writeFileSync(
    join(workspace, 'phasewise.yaml'),
    `version: 1
task: Describe the service.
budget: 0.01
models:
  tiers: [small]
  small: vendor:${wire[kind].model}
  providers:
    vendor: { kind: ${kind}, base_url: "${baseUrl}", api_key_env: USAGE_KEY }
phases:
  research:
    escalation: [halt]
    quality_gate:
      threshold: 0.5
      checks:
        - { kind: sections }
`,
  );
  return workspace;
}

describe.each(['anthropic', 'openai'] as const)('implausible usage reported over %s', (kind) => {
  it('fails the call as a provider error and never charges past its reservation', async () => {
    server = await startFakeLlmServer({
      apiKey: KEY,
      script: {
        conversations: [
          {
            name: 'research',
            match: ['## File map'],
            turns: [{ text: researchReport, usage: { input: 3_000_000, output: 40 } }],
          },
        ],
      },
    });
    const workspace = workspaceFor(kind, wire[kind].base(server));
    const result = await startCli(['run'], { cwd: workspace, env: { USAGE_KEY: KEY } }).done;
    expect(result.code, result.stderr).not.toBe(0);
    // One request: a non-retryable failure is not tried again.
    expect(server.requests).toHaveLength(1);
    expect(result.stderr).toMatch(
      new RegExp(`vendor model ${wire[kind].model} reported implausible usage: 3000000 input tokens`),
    );

    const journal = openJournal({ workspace });
    try {
      const [run] = await journal.listRuns();
      expect(run!.costUsd).toBeGreaterThan(0);
      expect(run!.costUsd).toBeLessThanOrEqual(0.01);
      const [reservation] = (await journal.listEvents(run!.runId))
        .filter((event) => event.type === 'model-call-start')
        .map((event) => (event as { reservedUsd: number }).reservedUsd);
      const failed = (await journal.listSteps(run!.runId)).filter((step) => step.kind === 'model-failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.costUsd).toBeCloseTo(reservation!, 9);
      const recorded = failed[0]!.result as { reportedUsage: { inputNoCache: number }; usage?: unknown };
      expect(recorded.reportedUsage.inputNoCache).toBe(3_000_000);
      // The implausible tokens never reach the token figures.
      expect(recorded.usage).toBeUndefined();
    } finally {
      await journal.close();
    }
  });
});
