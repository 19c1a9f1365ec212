/**
 * Research may not change the workspace — but only what the phase itself did counts: the user's own
 * `phasewise run --json > events.ndjson` inside the workspace, or another process editing a file meanwhile, is
 * not the phase's doing; a command the research agent runs that writes a file still is. Through the built CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { type FakeLlmServer, type FakeTurn, startFakeLlmServer } from '../../src/testing/index.js';
import { binPath } from '../support/cli.js';
import { E2E_KEY_ENV, makeGitWorkspace, PLANTED, providerConfig } from '../support/e2e-workspace.js';

interface Event {
  type: string;
  phaseId?: string;
  checks?: Array<{ kind: string }>;
}

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const researchReport = builtinAgents
  .research!.deliverables.map((section) => `## ${section}\nSee \`src/\`.`)
  .join('\n\n');

async function setUp(turns: FakeTurn[], options: { agentRuns?: boolean } = {}): Promise<string> {
  const workspace = makeGitWorkspace();
  server = await startFakeLlmServer({
    script: { conversations: [{ name: 'research', match: ['## File map'], turns }] },
    apiKey: PLANTED.apiKey,
  });
  const agents =
    options.agentRuns === true
      ? 'agents:\n  scout: { extends: research, permissions: [read, run] }\nphases:\n  research: { agent: scout }\n'
      : 'phases:\n  research: {}\n';
  writeFileSync(
    join(workspace, 'phasewise.yaml'),
    `${providerConfig('anthropic', server.anthropicBaseUrl)}${agents}`,
  );
  return workspace;
}

/** `phasewise run --json > events.ndjson`, as a user types it in the workspace. */
function runRedirected(workspace: string): Promise<{ code: number | null; stderr: string; events: Event[] }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `"${process.execPath}" "${binPath}" run --json > events.ndjson`], {
      cwd: workspace,
      env: { ...process.env, NO_COLOR: '1', [E2E_KEY_ENV]: PLANTED.apiKey },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (code) => {
      const lines = readFileSync(join(workspace, 'events.ndjson'), 'utf8').split('\n').filter(Boolean);
      resolve({ code, stderr, events: lines.map((line) => JSON.parse(line) as Event) });
    });
  });
}

function diffCheck(events: Event[]) {
  const gate = events.find((event) => event.type === 'gate-end' && event.phaseId === 'research');
  return gate?.checks?.find((check) => check.kind === 'diff');
}

const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });

describe('the diff check of a read-only phase', () => {
  it("passes when the user redirects the run's own output into the workspace", async () => {
    const workspace = await setUp([call('read', { path: 'src/auth.js' }), { text: researchReport }]);
    const result = await runRedirected(workspace);
    expect(result.code, result.stderr).toBe(0);
    expect(diffCheck(result.events)).toMatchObject({ passed: true, evidence: { changed: [] } });
  });

  it('does not blame the phase for a file another process changes while it runs', async () => {
    // The second model call is slow: meanwhile, someone else edits a file in the workspace.
    const workspace = await setUp([
      call('read', { path: 'src/auth.js' }),
      { text: researchReport, delayMs: 150 },
    ]);
    const running = runRedirected(workspace);
    const edited = join(workspace, 'README.md');
    const poll = setInterval(() => {
      if ((server?.requests.length ?? 0) >= 2) {
        clearInterval(poll);
        writeFileSync(edited, 'edited by someone else\n');
      }
    }, 10);
    const result = await running;
    clearInterval(poll);
    expect(readFileSync(edited, 'utf8')).toBe('edited by someone else\n');
    expect(result.code, result.stderr).toBe(0);
    expect(diffCheck(result.events)).toMatchObject({
      passed: true,
      evidence: { changed: [], changedByOthers: expect.arrayContaining(['README.md']) },
    });
  });

  it('still vetoes the phase when a command it runs writes a file', async () => {
    const workspace = await setUp(
      [call('run_command', { command: 'echo made > made-by-research.txt' }), { text: researchReport }],
      { agentRuns: true },
    );
    const result = await runRedirected(workspace);
    expect(existsSync(join(workspace, 'made-by-research.txt'))).toBe(true);
    expect(result.code).not.toBe(0);
    expect(diffCheck(result.events)).toMatchObject({
      passed: false,
      evidence: { changed: ['made-by-research.txt'] },
    });
  });
});
