/**
 * The five-phase workflow end to end, as users run it: the built CLI in a subprocess, a real git repository, real
 * tool calls, and the real provider clients talking to the fake LLM server over HTTP — once per provider kind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';
import {
  E2E_KEY_ENV,
  e2eScript,
  HEALTH_MODULE,
  makeGitWorkspace,
  PLANTED,
  type ProviderKindUnderTest,
  plantSecrets,
  providerConfig,
} from '../support/e2e-workspace.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe.each<ProviderKindUnderTest>(['anthropic', 'openai', 'openai-compatible'])('through %s', (kind) => {
  it('runs all five phases with real tools, journals every call with usage and cost, and leaks no secret', async () => {
    server = await startFakeLlmServer({ script: e2eScript(), apiKey: PLANTED.apiKey });
    const workspace = makeGitWorkspace();
    plantSecrets(workspace);
    const baseUrl = kind === 'anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl;
    writeFileSync(join(workspace, 'phasewise.yaml'), providerConfig(kind, baseUrl));

    const running = startCli(['run', '--json'], { cwd: workspace, env: { [E2E_KEY_ENV]: PLANTED.apiKey } });
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    server.assertAllUsed();
    expect(server.unexpected).toEqual([]);

    // Real files, written by the implementation phase through the write tool, in the real repository.
    expect(readFileSync(join(workspace, 'src', 'health.js'), 'utf8')).toBe(HEALTH_MODULE);
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: workspace, encoding: 'utf8' });
    expect(status).toContain('?? src/health.js');
    expect(status).toContain('?? test/health.test.js');

    const journal = openJournal({ workspace });
    const [run] = await journal.listRuns();
    const steps = await journal.listSteps(run!.runId);
    await journal.close();
    const models = steps.filter((step) => step.kind === 'model');
    expect(models).toHaveLength(server.requests.length);
    for (const step of models) {
      const recorded = step.result as { usage: { inputNoCache: number; output: number }; costUsd: number };
      expect(recorded.usage.inputNoCache + recorded.usage.output).toBeGreaterThan(0);
      expect(step.costUsd).toBeGreaterThan(0);
      expect(step.costUsd).toBe(recorded.costUsd);
    }
    expect(run!.costUsd).toBeCloseTo(
      models.reduce((sum, step) => sum + step.costUsd, 0),
      12,
    );
    const tools = steps
      .filter((step) => step.kind === 'tool')
      .map((step) => step.result as { output: string });
    expect(tools).toHaveLength(11);
    expect(tools.at(-1)!.output).toMatch(/pass 7/);
    expect(tools.at(-2)!.output).toContain('key-variable-absent');

    // The planted secrets: not in what the model was sent, the journal, the artifacts, or the output.
    const everything = [
      JSON.stringify(server.requests.map((request) => request.body)),
      result.stdout,
      result.stderr,
      ...filesUnder(join(workspace, '.phasewise')).map((file) => readFileSync(file, 'latin1')),
    ].join('\n');
    expect(everything).toContain('DATABASE_PASSWORD');
    expect(everything).not.toContain(PLANTED.dotenvValue);
    expect(everything).not.toContain(PLANTED.apiKey);
    expect(everything).not.toContain(PLANTED.taskToken);
    expect(existsSync(join(workspace, '.phasewise', 'journal.db'))).toBe(true);
  });
});
