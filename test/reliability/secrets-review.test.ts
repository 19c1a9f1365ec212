/**
 * A reviewer's feedback (`phasewise reject <run> --feedback …`) is journaled and becomes the next attempt's
 * prompt. Pasted into it by mistake: a `.env` value, the configured provider key, an `sk-ant-` key and a `ghp_`
 * token. None of them reaches the journal's bytes, any report, the prompts the fake server received or what the
 * CLI printed; the feedback's own words do reach the model. Real run: the built CLI, the fake LLM server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { cli, startCli } from '../support/cli.js';

const PASTED = {
  dotenvValue: 'review-dotenv-pass-3381',
  configuredKey: 'vendor-review-Zq81-leakcheck',
  anthropicKey: 'sk-ant-api03-Rv3vQ9pLx7Rt2Bn8Yc5Hs1Jd6Fg4Mz0Ka7Pe3Ur-review',
  githubToken: 'ghp_Rv9Lr7Kc4Vb8Nm1Tz6Hp3Jw5Fy0Gd7Sa2UeRv',
};
const FEEDBACK = `Add the risks of the migration. (Tried with ${Object.values(PASTED).join(', ')}.)`;

const reportOf = (role: string, skip: string[] = []) =>
  builtinAgents[role]!.deliverables.filter((section) => !skip.includes(section))
    .map((section) => `## ${section}\n${role} notes on ${section.toLowerCase()}.`)
    .join('\n\n');

function config(baseUrl: string): string {
  return `version: 1
task: Plan the migration.
budget: 1.00
models:
  tiers: [small]
  small: vendor:claude-haiku-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: VENDOR_LOGIN }
phases:
  research: {}
  planning: { depends_on: research, escalation: [halt] }
`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

let server: FakeLlmServer | undefined;
afterAll(async () => server?.close());

describe("a reviewer's feedback", () => {
  it('is recorded and sent redacted: no pasted secret reaches the journal, a report, a prompt or the terminal', async () => {
    server = await startFakeLlmServer({
      apiKey: PASTED.configuredKey,
      script: {
        conversations: [
          { name: 'research', match: ['## File map'], turns: [{ text: reportOf('research') }] },
          {
            name: 'planning after feedback',
            match: ['## Executive summary', 'Add the risks of the migration'],
            turns: [{ text: reportOf('planning') }],
          },
          {
            name: 'planning',
            match: ['## Executive summary'],
            turns: [{ text: reportOf('planning', ['Risks']) }],
          },
        ],
      },
    });
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-secret-review-'));
    writeFileSync(join(workspace, '.env'), `MIGRATION_DB=${PASTED.dotenvValue}\n`);
    writeFileSync(join(workspace, 'phasewise.yaml'), config(server.anthropicBaseUrl));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace });
    const env = { VENDOR_LOGIN: PASTED.configuredKey };
    const halted = await startCli(['run'], { cwd: workspace, env }).done;
    expect(halted.code, halted.stderr).toBe(3);
    const runId = /run (\S+) halted/.exec(halted.stderr)![1]!;
    const rejected = await startCli(['reject', runId, '--feedback', FEEDBACK], { cwd: workspace, env }).done;
    expect(rejected.code, rejected.stderr).toBe(0);

    const requests = JSON.stringify(server.requests);
    const channels: Record<string, string> = {
      'run stdout and stderr': halted.stdout + halted.stderr,
      'reject stdout and stderr': rejected.stdout + rejected.stderr,
      'journal bytes': filesUnder(join(workspace, '.phasewise'))
        .filter((file) => /journal\.db/.test(file))
        .map((file) => readFileSync(file, 'latin1'))
        .join('\n'),
      artifacts: filesUnder(join(workspace, '.phasewise', 'runs'))
        .map((file) => readFileSync(file, 'latin1'))
        .join('\n'),
      requests,
    };
    for (const format of ['terminal', 'md', 'json', 'html']) {
      const result = cli(['report', runId, '--format', format], { cwd: workspace, env });
      expect(result.code, result.stderr).toBe(0);
      channels[`report ${format}`] = result.stdout + result.stderr;
    }
    // The feedback did arrive, with the secrets hidden and the words kept.
    expect(requests).toContain('Add the risks of the migration');
    expect(requests).toContain('[REDACTED:MIGRATION_DB]');
    expect(channels['journal bytes']).toContain('Add the risks of the migration');
    expect(server.unexpected).toEqual([]);
    server.assertAllUsed();

    let checks = 0;
    const leaks: string[] = [];
    for (const [channel, text] of Object.entries(channels)) {
      for (const [name, secret] of Object.entries(PASTED)) {
        checks++;
        if (text.includes(secret)) leaks.push(`${name} in ${channel}`);
      }
    }
    console.log(
      `reliability: secrets: review feedback, ${Object.keys(PASTED).length} pasted secrets × ${Object.keys(channels).length} channels (${checks} checks), ${leaks.length} leaks`,
    );
    expect(leaks).toEqual([]);
  }, 120_000);
});
