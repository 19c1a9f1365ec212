/**
 * An unreachable provider, as a user meets it through the built CLI: the run fails (exit 1) with a message that
 * names the provider, the URL it tried and what the cause means; the waits between tries are shown as they
 * start. A port no URL can have is refused by the configuration before anything runs (exit 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { closedPort } from '../support/closed-port.js';

const KEY = 'sk-connection-test-key-8e41b2d7';
type Kind = 'anthropic' | 'openai' | 'openai-compatible';
const models: Record<Kind, string> = {
  anthropic: 'claude-haiku-4-5',
  openai: 'gpt-5-nano',
  'openai-compatible': 'llama-small',
};
const apiPath: Record<Kind, string> = {
  anthropic: '/v1/messages',
  openai: '/v1/chat/completions',
  'openai-compatible': '/v1/chat/completions',
};

function workspaceFor(kind: Kind, baseUrl: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-connect-'));
  const pricing =
    kind === 'openai-compatible' ? `, pricing: { ${models[kind]}: { input: 0.1, output: 0.2 } }` : '';
  writeFileSync(
    join(workspace, 'phasewise.yaml'),
    `version: 1
task: Describe the service.
budget: 1.00
models:
  tiers: [small]
  small: gateway:${models[kind]}
  providers:
    gateway: { kind: ${kind}, base_url: "${baseUrl}", api_key_env: CONNECT_KEY${pricing} }
phases:
  research:
    escalation: [halt]
`,
  );
  return workspace;
}

const run = (workspace: string) => cli(['run'], { cwd: workspace, env: { CONNECT_KEY: KEY } });

describe('a provider that cannot be reached', () => {
  it('a closed port: each wait is shown, then the run fails naming the provider, the URL and the cause', async () => {
    const port = await closedPort();
    const result = run(workspaceFor('anthropic', `http://127.0.0.1:${port}/v1`));
    expect(result.code, result.stderr).toBe(1);
    const waits = result.stderr.split('\n').filter((line) => line.includes('waiting'));
    expect(waits.map((line) => line.replace(/^\S+ research: waiting \S+ — /, ''))).toEqual([
      'connection to gateway failed (ECONNREFUSED), try 2 of 4',
      'connection to gateway failed (ECONNREFUSED), try 3 of 4',
      'connection to gateway failed (ECONNREFUSED), try 4 of 4',
    ]);
    expect(result.stderr).toContain(
      `phase research: gateway model claude-haiku-4-5 could not connect to http://127.0.0.1:${port}/v1/messages ` +
        `(ECONNREFUSED): nothing is listening at 127.0.0.1:${port} (connection refused); is the server running? ` +
        'If it is, check the host and port in models.providers.gateway.base_url',
    );
    expect(result.stderr).not.toContain(KEY);
  });

  it.each<Kind>(['anthropic', 'openai', 'openai-compatible'])(
    '%s: a port fetch blocks fails at once, saying why',
    (kind) => {
      const result = run(workspaceFor(kind, 'http://127.0.0.1:9/v1'));
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).not.toContain('waiting');
      expect(result.stderr).toContain(
        `gateway model ${models[kind]} could not connect to http://127.0.0.1:9${apiPath[kind]} (bad port): fetch ` +
          "refuses to connect to port 9: it is on the Fetch standard's list of unsafe ports",
      );
      expect(result.stderr).toContain(
        'serve the API on another port, and change models.providers.gateway.base_url',
      );
      expect(result.stderr).not.toContain('Cannot connect to API: bad port');
    },
  );

  it('a port no URL can have (99999) is refused by the configuration, at its line', () => {
    const workspace = workspaceFor('openai', 'http://127.0.0.1:99999/v1');
    const result = run(workspace);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(workspace, 'phasewise.yaml')}:8:`);
    expect(result.stderr).toContain('models.providers.gateway.base_url: expected a URL');
  });
});
