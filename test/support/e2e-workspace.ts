/**
 * End-to-end material: a real git repository (the bundled example service), a phasewise.yaml for each provider
 * kind pointing at the fake LLM server, and a script in which every phase works with real tools before it
 * reports — research reads and searches, implementation writes files, verification runs the tests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAgents } from '../../src/config/index.js';
import type { FakeConversation, FakeLlmScript, FakeTurn } from '../../src/testing/index.js';

const example = join(import.meta.dirname, '..', '..', 'examples', 'auth-service');

export function makeGitWorkspace(): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-e2e-'));
  cpSync(example, workspace, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], {
      cwd: workspace,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'auth-service');
  return workspace;
}

export type ProviderKindUnderTest = 'anthropic' | 'openai' | 'openai-compatible';

/** A key variable whose name does not look secret: only the configuration says it holds a key. */
export const E2E_KEY_ENV = 'VENDOR_LOGIN';

export function providerConfig(kind: ProviderKindUnderTest, baseUrl: string): string {
  const models: Record<ProviderKindUnderTest, string> = {
    anthropic: `  haiku: vendor:claude-haiku-4-5
  sonnet: vendor:claude-sonnet-4-5
  opus: vendor:claude-opus-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: ${E2E_KEY_ENV} }`,
    openai: `  haiku: vendor:gpt-5-nano
  sonnet: vendor:gpt-5-mini
  opus: vendor:gpt-5
  providers:
    vendor: { kind: openai, base_url: "${baseUrl}", api_key_env: ${E2E_KEY_ENV} }`,
    'openai-compatible': `  haiku: vendor:llama-small
  sonnet: vendor:llama-medium
  opus: vendor:llama-large
  providers:
    vendor:
      kind: openai-compatible
      base_url: "${baseUrl}"
      api_key_env: ${E2E_KEY_ENV}
      pricing:
        llama-small: { input: 0.1, output: 0.2 }
        llama-medium: { input: 0.3, output: 0.6 }
        llama-large: { input: 0.9, output: 1.8 }`,
  };
  return `version: 1
task: Add a health check module with a test, keeping the existing tests green. (Pasted by mistake - ${PLANTED.taskToken})
budget: 2.00
models:
  tiers: [haiku, sonnet, opus]
${models[kind]}
`;
}

/** A report with the role's sections; a review lists its findings (none) as its gate expects. */
function reportOf(role: string, details: string): string {
  return builtinAgents[role]!.deliverables.map((section) => {
    if (section === 'Findings') return `## Findings\n${details}.\n\n\`\`\`json\n[]\n\`\`\``;
    if (section === 'Go/no-go') return '## Go/no-go\nGo.';
    return `## ${section}\n${details}.`;
  }).join('\n\n');
}

const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });

/** Carries a JWT-shaped fixture: the model's own text must reach the file intact, not as [REDACTED]. */
export const HEALTH_MODULE =
  "export const SAMPLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLWZpeHR1cmUtZTJl';\n" +
  'export function health() {\n  return { ok: true };\n}\n';
const HEALTH_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { health } from '../src/health.js';

test('health reports ok', () => {
  assert.deepEqual(health(), { ok: true });
});
`;

/** Each phase is recognised by a section heading only its role's system prompt asks for. */
export function e2eScript(): FakeLlmScript {
  const conversation = (name: string, heading: string, turns: FakeTurn[]): FakeConversation => ({
    name,
    match: [`## ${heading}`],
    turns,
  });
  return {
    conversations: [
      conversation('research', 'File map', [
        call('list', { path: '.' }),
        call('grep', { pattern: 'requireSession', path: 'src' }),
        call('read', { path: 'src/auth.js' }),
        call('read', { path: '.env' }),
        { text: reportOf('research', 'src/auth.js holds login and requireSession') },
      ]),
      conversation('planning', 'Executive summary', [
        call('glob', { pattern: '**/*.test.js' }),
        { text: reportOf('planning', 'add src/health.js and test/health.test.js') },
      ]),
      conversation('implementation', 'Changes', [
        call('write', { path: 'src/health.js', content: HEALTH_MODULE }),
        call('write', { path: 'test/health.test.js', content: HEALTH_TEST }),
        call('edit', { path: 'src/health.js', old: 'ok: true', new: 'ok: true' }),
        { text: reportOf('implementation', 'wrote src/health.js and its test') },
      ]),
      conversation('review', 'Findings', [
        call('read', { path: 'src/health.js' }),
        { text: reportOf('review', 'no findings; go') },
      ]),
      conversation('verification', 'Checks run', [
        call('run_command', { command: `printenv ${E2E_KEY_ENV} || echo key-variable-absent` }),
        call('run_command', { command: 'node --test' }),
        { text: reportOf('verification', 'node --test passed; go') },
      ]),
    ],
  };
}

/** Secrets planted where a careless tool would leak them: the API key itself, a .env file, a config file. */
export const PLANTED = {
  /** Not shaped like any known key: only the configuration's api_key_env makes it a secret. */
  apiKey: 'vendor-login-7Qx2-e2e',
  dotenvValue: 'hunter2-correct-horse-battery-e2e',
  taskToken: `ghp_${'e2eTaskTok3n'.repeat(3)}`,
};

export function plantSecrets(workspace: string): void {
  writeFileSync(join(workspace, '.env'), `DATABASE_PASSWORD=${PLANTED.dotenvValue}\nPORT=3000\n`);
}
