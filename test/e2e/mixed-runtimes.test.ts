/**
 * One workflow, two runtimes: research runs as a Claude Code session (the real Agent SDK and its binary), the
 * other phases on the Anthropic API — both against the same fake server — through the CLI, as users run it.
 * The report must attribute each phase exactly the cost of the requests that phase made.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costOfUsage } from '../../src/budget/cost.js';
import { lookupPrice } from '../../src/budget/price-table.js';
import { type FakeLlmServer, type FakeTurn, startFakeLlmServer } from '../../src/testing/index.js';
import { cli, startCli } from '../support/cli.js';
import { E2E_KEY_ENV, e2eScript, makeGitWorkspace, PLANTED } from '../support/e2e-workspace.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const research = (workspace: string): FakeTurn[] => [
  { toolCalls: [{ name: 'Glob', input: { pattern: 'src/**/*.js' } }] },
  { toolCalls: [{ name: 'Read', input: { file_path: join(workspace, 'src', 'auth.js') } }] },
  {
    text: [
      '## File map\n`src/auth.js` holds login and requireSession.',
      '## Architecture\nThree factories.',
      '## Current implementation\nSessions in a Map.',
      '## Performance\nOne lookup per request.',
      '## Dependencies\nnode:crypto only.',
      '## Patterns\nFactories with options.',
      '## Security\nscrypt and timingSafeEqual.',
      '## Handoff\n`src/auth.js` is where the change goes.',
    ].join('\n\n'),
  },
];

describe('a workflow mixing runtimes', () => {
  it('runs research on Claude Code and the rest on the API, and the report attributes each phase its cost', async () => {
    const workspace = makeGitWorkspace();
    const script = e2eScript();
    const researchConversation = script.conversations.find(
      (conversation) => conversation.name === 'research',
    )!;
    researchConversation.turns = research(workspace);
    server = await startFakeLlmServer({ script, apiKey: PLANTED.apiKey });
    writeFileSync(
      join(workspace, 'phasewise.yaml'),
      `version: 1
task: Add a health check module with a test, keeping the existing tests green.
budget: 2.00
models:
  tiers: [haiku, sonnet, opus]
  haiku: vendor:claude-haiku-4-5
  sonnet: vendor:claude-sonnet-4-5
  opus: vendor:claude-opus-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${server.anthropicBaseUrl}", api_key_env: ${E2E_KEY_ENV} }
    code: { kind: claude-code, base_url: "${server.anthropicBaseUrl}", api_key_env: ${E2E_KEY_ENV} }
phases:
  research: { model: code:claude-haiku-4-5 }
  planning: { depends_on: [research] }
  implementation: { depends_on: [planning] }
  review: { depends_on: [implementation] }
  verification: { depends_on: [review] }
`,
    );
    const result = await startCli(['run', '--json'], {
      cwd: workspace,
      env: { [E2E_KEY_ENV]: PLANTED.apiKey },
    }).done;
    expect(result.code, result.stderr).toBe(0);
    // The Claude Code attempt says how it ended, like the tool loop's.
    const researchEnds = result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { type: string; phaseId?: string })
      .filter((event) => event.type === 'attempt-end' && event.phaseId === 'research');
    expect(researchEnds).toMatchObject([{ attempt: 1, stopReason: 'answered', detail: null }]);
    server.assertAllUsed();
    expect(server.unexpected).toEqual([]);
    // Claude Code's requests carry its own client header; the API's do not.
    const byPhase = new Map<string, number>();
    for (const request of server.requests) {
      const conversation = request.conversation!;
      const model = (request.body as { model: string }).model;
      const usage = request.usage!;
      const cost = costOfUsage(
        {
          inputNoCache: usage.input,
          cacheRead: usage.cacheRead,
          cacheWrite: usage.cacheWrite5m + usage.cacheWrite1h,
          cacheWrite1h: usage.cacheWrite1h,
          output: usage.output,
        },
        lookupPrice(model)!,
      );
      byPhase.set(conversation, (byPhase.get(conversation) ?? 0) + cost);
    }
    const claudeCodeRequests = server.requests.filter((request) =>
      (request.headers['user-agent'] ?? '').startsWith('claude-cli/'),
    );
    expect(claudeCodeRequests.map((request) => request.conversation)).toEqual([
      'research',
      'research',
      'research',
    ]);

    const report = JSON.parse(cli(['report', '--format', 'json'], { cwd: workspace }).stdout) as {
      costUsd: number;
      phases: Array<{ id: string; costUsd: number; models: string[] }>;
    };
    // The JSON report rounds USD to a millionth of a dollar (USD_DECIMALS).
    for (const phase of report.phases) expect(phase.costUsd, phase.id).toBeCloseTo(byPhase.get(phase.id)!, 6);
    expect(report.phases.find((phase) => phase.id === 'research')!.models).toEqual(['code:claude-haiku-4-5']);
    expect(report.phases.find((phase) => phase.id === 'planning')!.models).toEqual([
      'vendor:claude-opus-4-5',
    ]);
    const total = [...byPhase.values()].reduce((sum, cost) => sum + cost, 0);
    expect(report.costUsd).toBeCloseTo(total, 6);
  }, 120_000);
});
