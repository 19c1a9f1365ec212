/**
 * A file named after a `.env` value, in a place git refuses (`docs/.git./…`): the snapshot that follows fails and
 * its error names the file. Wherever that error goes — the event line, the run's stored message, the closing
 * summary on stderr, the snapshot step, `status` and every report format — the value is hidden. Real run: the
 * built CLI, the fake LLM server playing a model that creates the file with a command.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { type FakeLlmServer, type FakeTurn, startFakeLlmServer } from '../../src/testing/index.js';
import { cli, startCli } from '../support/cli.js';

const DOTENV_VALUE = 'filename-secret-pass-6621';
const KEY = 'fake-key-for-file-names-0042';

function write(workspace: string, path: string, text: string): void {
  mkdirSync(dirname(join(workspace, path)), { recursive: true });
  writeFileSync(join(workspace, path), text);
}

const reportOf = (role: string) =>
  builtinAgents[role]!.deliverables.map((section) =>
    section === 'Go/no-go' ? '## Go/no-go\nGo.' : `## ${section}\n${role} notes.`,
  ).join('\n\n');

const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });

function config(baseUrl: string): string {
  return `version: 1
task: "Tidy the docs."
budget: 1.00
models:
  tiers: [small]
  small: vendor:claude-haiku-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: VENDOR_LOGIN }
phases:
  act:
    agent: verification
    escalation: [halt]
    quality_gate: { threshold: 0.5, checks: [{ kind: sections, weight: 1 }] }
  recheck:
    agent: verification
    dependencies: act
    escalation: [halt]
    quality_gate: { threshold: 0.5, checks: [{ kind: sections, weight: 1 }] }
`;
}

function everyRow(workspace: string): string {
  const db = new DatabaseSync(join(workspace, '.phasewise', 'journal.db'), { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    return tables
      .map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())}`)
      .join('\n');
  } finally {
    db.close();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

let server: FakeLlmServer | undefined;
afterAll(async () => server?.close());

describe('a file named after a .env value', () => {
  it('is hidden in the stored message, the closing summary, the snapshot and every report', async () => {
    server = await startFakeLlmServer({
      apiKey: KEY,
      script: {
        conversations: [
          {
            // Both phases play the verification agent (it may run commands); the second stops at its snapshot.
            name: 'verification',
            match: ['## Checks run'],
            turns: [
              call('run_command', {
                command: `mkdir -p "docs/.git." && echo x > "docs/.git./${DOTENV_VALUE}.md" && ls docs/.git.`,
              }),
              { text: reportOf('verification') },
            ],
          },
        ],
      },
    });
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-secret-names-'));
    write(workspace, '.env', `DB_PASS=${DOTENV_VALUE}\n`);
    write(workspace, 'docs/readme.md', '# Docs\n');
    writeFileSync(join(workspace, 'phasewise.yaml'), config(server.anthropicBaseUrl));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace });
    const env = { VENDOR_LOGIN: KEY };
    const run = await startCli(['run'], { cwd: workspace, env }).done;
    const channels: Record<string, string> = {
      'run stdout': run.stdout,
      'run stderr': run.stderr,
      'journal rows': everyRow(workspace),
      'journal bytes': filesUnder(join(workspace, '.phasewise'))
        .filter((file) => /journal\.db/.test(file))
        .map((file) => readFileSync(file, 'latin1'))
        .join('\n'),
      requests: JSON.stringify(server.requests),
    };
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['runs', '--json'],
      ['report', '--format', 'terminal'],
      ['report', '--format', 'md'],
      ['report', '--format', 'json'],
      ['report', '--format', 'html'],
      ['resume'],
    ]) {
      const result = cli(args, { cwd: workspace, env });
      channels[args.join(' ')] = result.stdout + result.stderr;
    }
    expect(run.code, run.stderr).not.toBe(null);
    // The file really did surface: the command listed it, and something (the snapshot's error, the diff) named it.
    expect(channels['journal rows']).toContain('[REDACTED:DB_PASS]');
    const leaks = Object.entries(channels)
      .filter(([, text]) => text.includes(DOTENV_VALUE))
      .map(([channel]) => channel);
    expect(leaks).toEqual([]);
    console.log(
      `reliability: secrets: 1 secret file name × ${Object.keys(channels).length} channels, 0 leaks`,
    );
  }, 120_000);
});
