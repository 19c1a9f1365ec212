/**
 * A fanned-out phase inside an isolated run (`run --worktree`): the lanes' worktrees and branches
 * (`phasewise/<run-id>/<phase>/<item>`) are made from the run's own worktree, the merged work is committed on
 * `phasewise/<run-id>`, and the user's working tree stays as it was. The built CLI against the fake LLM server.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmScript, type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';
import { reportOf } from '../support/crash-workspace.js';
import { git, planReport } from '../support/fan-out-plan.js';

const KEY_ENV = 'VENDOR_LOGIN';
const API_KEY = 'isolated-fan-out-login-1';
const items = ['alpha', 'beta'];

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
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
      turns: [
        { toolCalls: [{ name: 'write', input: { path: `${id}.txt`, content: `${id}\n` } }] },
        { text: reportOf('implementation') },
      ],
    })),
  ],
};

function repository(baseUrl: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-isolated-fan-out-'));
  writeFileSync(
    join(workspace, 'phasewise.yaml'),
    `version: 1
task: Add two small modules
budget: 2.00
models:
  tiers: [small, large]
  small: vendor:claude-haiku-4-5
  large: vendor:claude-sonnet-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: ${KEY_ENV} }
phases:
  planning: { model: small, cost_limit: $0.30, quality_threshold: 0.90 }
  implementation:
    model: small
    cost_limit: $0.60
    dependencies: planning
    fan_out: { from: planning, max_parallel: 2 }
`,
  );
  writeFileSync(join(workspace, 'README.md'), 'two modules to come\n');
  git(workspace, 'init', '-q');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'init');
  return workspace;
}

describe('an isolated run that fans out', () => {
  it('merges its lanes in its own worktree and commits the result on phasewise/<run-id>', async () => {
    server = await startFakeLlmServer({ script, apiKey: API_KEY });
    const top = repository(server.anthropicBaseUrl);
    const result = await startCli(['run', '--worktree'], { cwd: top, env: { [KEY_ENV]: API_KEY } }).done;
    expect(result.code, result.stderr).toBe(0);
    const runId = /isolated run (\S+):/.exec(result.stderr)?.[1] ?? '';
    const branch = `phasewise/${runId}`;
    for (const id of items) {
      expect(git(top, 'show', `${branch}:${id}.txt`)).toBe(`${id}\n`);
      expect(existsSync(join(top, `${id}.txt`))).toBe(false);
    }
    expect(git(top, 'status', '--porcelain')).toBe('');
    const lanes = git(top, 'branch', '--list', `${branch}/*`).trim();
    expect(lanes).toBe('');
  });
});
