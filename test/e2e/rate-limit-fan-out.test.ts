/**
 * A provider's `rate_limit: { max_concurrent: 1 }` holds end to end: the built CLI runs a fanned-out phase (three
 * items side by side) against the fake LLM server over HTTP, and the server never serves two requests at once;
 * the same run without the limit does overlap them, so the limit is what kept them apart. With a shared Postgres
 * journal, two runs at once in two processes share the limit.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmScript, type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { cli, startCli } from '../support/cli.js';
import { reportOf } from '../support/crash-workspace.js';
import { git, planReport } from '../support/fan-out-plan.js';

const KEY_ENV = 'VENDOR_LOGIN';
const API_KEY = 'rate-limit-suite-login-1';
const env = { [KEY_ENV]: API_KEY };

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const items = ['alpha', 'beta', 'gamma'];

const write = (id: string) => ({
  toolCalls: [{ name: 'write', input: { path: `${id}.txt`, content: `${id}\n` } }],
});

const script: FakeLlmScript = {
  conversations: [
    {
      name: 'planning',
      match: ['## Executive summary'],
      turns: [{ text: planReport(items, `${reportOf('planning')}\n`) }],
    },
    {
      name: 'merge',
      match: ['## Changes', 'are being merged'],
      turns: [{ text: reportOf('implementation') }],
    },
    ...items.map((id) => ({
      name: `item-${id}`,
      match: ['## Changes', `work item ${id}\n`],
      turns: [write(id), { text: reportOf('implementation') }],
    })),
  ],
};

function repository(baseUrl: string, rateLimit: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-rate-limit-e2e-'));
  writeFileSync(
    join(workspace, 'phasewise.yaml'),
    `version: 1
task: Add three small modules
budget: 2.00
models:
  tiers: [small, large]
  small: vendor:claude-haiku-4-5
  large: vendor:claude-sonnet-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: ${KEY_ENV}${rateLimit} }
phases:
  planning: { model: small, cost_limit: $0.30, quality_threshold: 0.90 }
  implementation:
    model: small
    cost_limit: $0.60
    dependencies: planning
    fan_out: { from: planning, max_parallel: 3 }
`,
  );
  writeFileSync(join(workspace, 'README.md'), 'three modules to come\n');
  git(workspace, 'init', '-q');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'init');
  return workspace;
}

async function fanOutRun(rateLimit: string): Promise<{ maxInFlight: number; items: string[] }> {
  server = await startFakeLlmServer({ script, apiKey: API_KEY, latencyMs: 300 });
  const workspace = repository(server.anthropicBaseUrl, rateLimit);
  const items = await runToEnd(workspace, []);
  return { maxInFlight: server.concurrency().maxInFlight, items };
}

/** Runs the workflow in `workspace` to its end; the items merged. */
async function runToEnd(workspace: string, extra: string[]): Promise<string[]> {
  const result = await startCli(['run', '--json', ...extra], { cwd: workspace, env }).done;
  expect(result.code, result.stderr).toBe(0);
  expect(server?.unexpected).toEqual([]);
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; item?: string; outcome?: string });
  return events.filter((e) => e.type === 'merge-end' && e.outcome === 'merged').map((e) => e.item!);
}

describe('a provider rate limit on a fanned-out phase', () => {
  it('never lets the server see more than max_concurrent requests at once', async () => {
    const limited = await fanOutRun(', rate_limit: { max_concurrent: 1 }');
    expect(limited.items.sort()).toEqual(items);
    expect(limited.maxInFlight).toBe(1);
  }, 120_000);

  it('overlaps the items’ requests without the limit', async () => {
    const free = await fanOutRun('');
    expect(free.items.sort()).toEqual(items);
    expect(free.maxInFlight).toBeGreaterThan(1);
  }, 120_000);
});

describe('a provider rate limit shared through a Postgres journal', () => {
  let postgres: PostgresServer;
  beforeAll(() => {
    postgres = startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('holds max_concurrent across two runs in two processes at once', async () => {
    server = await startFakeLlmServer({ script, apiKey: API_KEY, latencyMs: 300 });
    const limit = ', rate_limit: { max_concurrent: 1 }';
    const workspaces = [
      repository(server.anthropicBaseUrl, limit),
      repository(server.anthropicBaseUrl, limit),
    ];
    const shared = ['--database-url', postgres.url];
    const migrated = cli(['db', 'migrate', ...shared], { cwd: workspaces[0]! });
    expect(migrated.code, migrated.stderr).toBe(0);
    const merged = await Promise.all(workspaces.map((workspace) => runToEnd(workspace, shared)));
    for (const runItems of merged) expect(runItems.sort()).toEqual(items);
    // Both runs' planning and three items each reached the server, never two at once.
    expect(server.requests.length).toBeGreaterThanOrEqual(2 * (1 + 2 * items.length));
    expect(server.concurrency().maxInFlight).toBe(1);
  }, 180_000);
});
