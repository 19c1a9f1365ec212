/**
 * The other side of redaction: what is not a secret must survive it. A workspace whose path is long and made of
 * short hyphenated words (`…/top-fix-tmp/r1-py3/pw-x1/build-k8s-go`) once read as a high-entropy token: the run
 * journaled `[REDACTED]` as its workspace and failed with ENOENT. Real run: the built CLI, `--workspace`, the fake
 * LLM server; the journal, status and the report must name the real path, and the run must succeed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { cli, startCli } from '../support/cli.js';

const KEY = 'fake-key-for-workspace-paths-0042';

const reportOf = (role: string) =>
  builtinAgents[role]!.deliverables.map((section) => `## ${section}\n${role} notes.`).join('\n\n');

function config(baseUrl: string): string {
  return `version: 1
task: Map the code.
budget: 1.00
models:
  tiers: [small]
  small: vendor:claude-haiku-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: VENDOR_LOGIN }
phases:
  research: { escalation: [halt] }
`;
}

let server: FakeLlmServer | undefined;
afterAll(async () => server?.close());

describe('a workspace path of short hyphenated words', () => {
  it.each([
    'runs/add-numbers/all-top/r1/worktree',
    'top-fix-tmp/r1-py3/pw-x1/build-k8s-go',
    'out/v2-node-py3/numbers-q7/pw-x1/my-eval/node-x2',
  ])(
    'is journaled and used as it is: %s',
    async (tail) => {
      await server?.close();
      server = await startFakeLlmServer({
        apiKey: KEY,
        script: {
          conversations: [
            { name: 'research', match: ['## File map'], turns: [{ text: reportOf('research') }] },
          ],
        },
      });
      const workspace = join(mkdtempSync(join(tmpdir(), 'pw-eval-x1-')), tail);
      mkdirSync(workspace, { recursive: true });
      writeFileSync(join(workspace, 'phasewise.yaml'), config(server.anthropicBaseUrl));
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace });
      const env = { VENDOR_LOGIN: KEY };
      const elsewhere = mkdtempSync(join(tmpdir(), 'phasewise-cwd-'));
      const run = await startCli(['run', '--workspace', workspace, '-c', join(workspace, 'phasewise.yaml')], {
        cwd: elsewhere,
        env,
      }).done;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('ENOENT');
      const db = new DatabaseSync(join(workspace, '.phasewise', 'journal.db'), { readOnly: true });
      const rows = JSON.stringify(db.prepare('SELECT * FROM runs').all());
      db.close();
      expect(rows).toContain(JSON.stringify(workspace).slice(1, -1));
      expect(rows).not.toContain('[REDACTED');
      const status = cli(['status', '--json'], { cwd: workspace, env });
      expect(status.stdout).toContain('"succeeded"');
      expect(status.stdout).not.toContain('[REDACTED');
      console.log(`reliability: secrets: workspace path ${workspace}: run succeeded, 0 paths redacted`);
    },
    60_000,
  );
});
