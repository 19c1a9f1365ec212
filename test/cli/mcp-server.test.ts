/**
 * `phasewise mcp` end to end: the built CLI serving MCP on stdio, driven by the SDK's own client. A run through
 * the real Anthropic client against the fake LLM server is estimated, started, watched to its end and reported
 * on; a run halted for review (the scripted provider, `escalation: [halt]`) is approved through `answer` and
 * succeeds. Nothing but the protocol reaches stdout (the client would fail on anything else).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { binPath } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';
import {
  E2E_KEY_ENV,
  e2eScript,
  makeGitWorkspace,
  PLANTED,
  providerConfig,
} from '../support/e2e-workspace.js';

let fake: FakeLlmServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake?.close();
  fake = undefined;
});

async function connect(workspace: string, env: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, 'mcp'],
    cwd: workspace,
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1', ...env },
    stderr: 'pipe',
  });
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

type Answer = { content: Array<{ type: string; text: string }>; isError?: boolean };

async function call(mcp: Client, name: string, args: Record<string, unknown>): Promise<Answer> {
  return (await mcp.callTool({ name, arguments: args })) as Answer;
}

const textOf = (answer: Answer) => answer.content.map((part) => part.text).join('\n');

async function watchUntilSettled(mcp: Client, runId: string) {
  let cursor = 0;
  const events: Array<{ type: string }> = [];
  for (;;) {
    const answer = await call(mcp, 'watch', { runId, cursor });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    const page = JSON.parse(textOf(answer)) as {
      status: { status: string };
      events: Array<{ type: string }>;
      nextCursor: number;
    };
    events.push(...page.events);
    cursor = page.nextCursor;
    if (page.status.status !== 'running') return { status: page.status.status, events };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('phasewise mcp', () => {
  it('lists its tools, estimates, starts a run, watches it to the end and reports on it', async () => {
    fake = await startFakeLlmServer({ script: e2eScript(), apiKey: PLANTED.apiKey });
    const workspace = makeGitWorkspace();
    writeFileSync(join(workspace, 'phasewise.yaml'), providerConfig('anthropic', fake.anthropicBaseUrl));
    const mcp = await connect(workspace, { [E2E_KEY_ENV]: PLANTED.apiKey });

    const { tools } = await mcp.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['answer', 'estimate', 'report', 'start', 'watch']);

    const estimate = await call(mcp, 'estimate', { task: 'Add a health check module' });
    expect(estimate.isError, textOf(estimate)).toBeFalsy();
    expect(JSON.parse(textOf(estimate))).toHaveProperty('phases');
    expect(fake.requests).toHaveLength(0);

    const started = await call(mcp, 'start', { task: 'Add a health check module with a test' });
    expect(started.isError, textOf(started)).toBeFalsy();
    const { runId } = JSON.parse(textOf(started)) as { runId: string };
    expect(runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);

    const watched = await watchUntilSettled(mcp, runId);
    expect(watched.status).toBe('succeeded');
    expect(watched.events[0]).toMatchObject({ type: 'run-start' });
    expect(watched.events.at(-1)).toMatchObject({ type: 'run-end' });
    fake.assertAllUsed();

    const report = await call(mcp, 'report', { runId });
    expect(report.isError, textOf(report)).toBeFalsy();
    expect(textOf(report)).toContain(runId);
    expect(textOf(report)).toContain('verification');

    const unknown = await call(mcp, 'report', { runId: '20000101-000000-dead' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain('no report for run 20000101-000000-dead');
    const invalid = await call(mcp, 'answer', { runId, action: 'reject' });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toContain('reject needs `feedback`');
  }, 180_000);

  it('approves a run halted for review, which then succeeds', async () => {
    const workspace = makeCrashWorkspace(0);
    const config = join(workspace, 'phasewise.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'dependencies: research }',
        'dependencies: research, escalation: [halt] }',
      ),
    );
    const mcp = await connect(workspace);
    const started = await call(mcp, 'start', { task: 'Add a health endpoint' });
    expect(started.isError, textOf(started)).toBeFalsy();
    const { runId } = JSON.parse(textOf(started)) as { runId: string };
    expect((await watchUntilSettled(mcp, runId)).status).toBe('halted');

    const approved = await call(mcp, 'answer', { runId, action: 'approve' });
    expect(approved.isError, textOf(approved)).toBeFalsy();
    expect(JSON.parse(textOf(approved))).toMatchObject({ runId, action: 'approve' });
    const after = await watchUntilSettled(mcp, runId);
    expect(after.status).toBe('succeeded');
    expect(after.events).toContainEqual(expect.objectContaining({ type: 'run-start', resumed: true }));
  }, 180_000);
});
