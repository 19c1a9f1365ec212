/**
 * What the built CLI (the bundle `npm run build` writes) loads from node_modules on its way to work: `--version`,
 * `validate` and `run` up to its first request at the fake LLM server load none of the large packages only other
 * commands or settings use (Postgres, DBOS, Octokit, OpenTelemetry, MCP, puppeteer). A module hook given with
 * `--import` appends every URL loaded to a file as it loads, so a run can be read while it waits on its model;
 * the same run with OTEL_EXPORTER_OTLP_ENDPOINT set shows the hook does see such a package when it loads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer } from '../../src/testing/index.js';
import { binPath } from '../support/cli.js';

/** The packages no command on the way to a model call needs: each only for its own command or setting. */
const HEAVY =
  /\/node_modules\/(pg|pg-[^/]+|@dbos-inc\/[^/]+|@octokit\/[^/]+|@opentelemetry\/[^/]+|@modelcontextprotocol\/[^/]+|puppeteer-core)\//;

let scratch: string;
let hook: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'phasewise-no-load-'));
  hook = join(scratch, 'record-loads.mjs');
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
const out = process.env.LOADED_FILE;
registerHooks({ load(url, context, next) { appendFileSync(out, url + '\\n'); return next(url, context); } });
`,
  );
});

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

function loadedBy(args: string[], cwd: string): string[] {
  const file = join(scratch, `loaded-${args[0]}.txt`);
  writeFileSync(file, '');
  const result = spawnSync(process.execPath, ['--import', hook, binPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, LOADED_FILE: file },
  });
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** The modules `phasewise run` has loaded by the time its first request reaches the fake server. */
async function loadedByRunUntilFirstRequest(env: Record<string, string>): Promise<string[]> {
  const server = await startFakeLlmServer({
    apiKey: 'no-load-key-0123456789',
    script: { conversations: [{ name: 'any', match: [], turns: [{ text: 'x', delayMs: 60_000 }] }] },
  });
  const workspace = mkdtempSync(join(scratch, 'run-'));
  const file = join(scratch, `loaded-run-${Object.keys(env).length}.txt`);
  writeFileSync(file, '');
  writeFileSync(
    join(workspace, 'phasewise.yaml'),
    `version: 1
task: Add a health endpoint
models:
  tiers: [haiku, sonnet, opus]
  haiku: fake:claude-haiku-4-5
  sonnet: fake:claude-sonnet-4-5
  opus: fake:claude-opus-4-5
  providers:
    fake: { kind: anthropic, base_url: "${server.anthropicBaseUrl}", api_key_env: NO_LOAD_KEY }
`,
  );
  const child = spawn(process.execPath, ['--import', hook, binPath, 'run', '--json'], {
    cwd: workspace,
    env: { ...process.env, NO_LOAD_KEY: 'no-load-key-0123456789', LOADED_FILE: file, ...env },
    stdio: 'ignore',
  });
  try {
    const deadline = Date.now() + 60_000;
    while (server.requests.length === 0 && child.exitCode === null && Date.now() < deadline) await delay(5);
    expect(server.requests.length, 'the run reached the model').toBeGreaterThan(0);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } finally {
    child.kill('SIGKILL');
    await server.close();
  }
}

describe('the built CLI on its way to work', () => {
  it('--version and validate load none of the large packages of other commands', () => {
    for (const args of [['--version'], ['validate']]) {
      const loaded = loadedBy(args, scratch);
      expect(loaded.some((url) => url.endsWith('/dist/cli/bin.js'))).toBe(true);
      expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
    }
  });

  it('run loads none of them up to its first request, and OpenTelemetry once telemetry is on', async () => {
    const loaded = await loadedByRunUntilFirstRequest({});
    expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
    const traced = await loadedByRunUntilFirstRequest({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(traced.some((url) => url.includes('/node_modules/@opentelemetry/'))).toBe(true);
  }, 120_000);
});
