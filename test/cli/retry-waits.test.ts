/**
 * A rate-limited provider, as a user meets it: the built CLI in a subprocess, the real Anthropic client, and the
 * fake LLM server answering 429 with `retry-after`. Each wait is printed as it begins (not after the call ends)
 * and journaled as a `model-call-retry` event, one per retry.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import type { EventOf } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';

const KEY = 'sk-retry-waits-test-key-5c2e9a';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const researchReport = builtinAgents
  .research!.deliverables.map((section) => `## ${section}\nNotes on the service.`)
  .join('\n\n');

function workspaceFor(baseUrl: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-retry-'));
  writeFileSync(
    join(workspace, 'phasewise.yaml'),
    `version: 1
task: Describe the service.
budget: 1.00
models:
  tiers: [small]
  small: anthropic:claude-haiku-4-5
  providers:
    anthropic: { kind: anthropic, base_url: "${baseUrl}", api_key_env: RETRY_KEY }
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

describe('waits for a rate-limited provider', () => {
  it('prints each wait as it starts and journals one model-call-retry event per retry', async () => {
    server = await startFakeLlmServer({
      apiKey: KEY,
      script: {
        conversations: [
          {
            name: 'research',
            match: ['## File map'],
            turns: [
              {
                text: researchReport,
                faults: [{ fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 3 }],
              },
            ],
          },
        ],
      },
    });
    const workspace = workspaceFor(server.anthropicBaseUrl);
    const running = startCli(['run'], { cwd: workspace, env: { RETRY_KEY: KEY } });
    // When each wait line reached us, to compare with when the next try reached the server.
    const waitLines: Array<{ line: string; at: number }> = [];
    let pending = '';
    running.child.stderr!.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.includes('waiting')) waitLines.push({ line, at: Date.now() });
    });
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    server.assertAllUsed();

    expect(waitLines.map(({ line }) => line.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual([
      'research: waiting 1.0s — rate limited by anthropic (HTTP 429), try 2 of 4',
      'research: waiting 1.0s — rate limited by anthropic (HTTP 429), try 3 of 4',
      'research: waiting 1.0s — rate limited by anthropic (HTTP 429), try 4 of 4',
    ]);
    // Shown as the wait starts: each line arrived before the try it announces reached the server.
    expect(server.requests).toHaveLength(4);
    waitLines.forEach(({ at }, index) => {
      expect(at).toBeLessThan(server!.requests[index + 1]!.at);
    });

    const journal = openJournal({ workspace });
    try {
      const [run] = await journal.listRuns();
      const retries = (await journal.listEvents(run!.runId)).filter(
        (event): event is EventOf<'model-call-retry'> => event.type === 'model-call-retry',
      );
      expect(retries).toEqual(
        [1, 2, 3].map((failedTry) =>
          expect.objectContaining({
            phaseId: 'research',
            attempt: 1,
            turn: 1,
            provider: 'anthropic',
            model: 'claude-haiku-4-5',
            try: failedTry,
            maxTries: 4,
            waitMs: 1_000,
            reason: 'rate limited by anthropic (HTTP 429)',
            status: 429,
          }),
        ),
      );
    } finally {
      await journal.close();
    }
  });
});
