/**
 * SIGKILL phasewise in the middle of a Claude Code session: the Claude Code process must not outlive it (an
 * orphaned session would go on spending and editing), and the run resumes to its end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { openJournal } from '../../src/journal/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';

const researchReport = builtinAgents
  .research!.deliverables.map((section) => `## ${section}\nSee \`phasewise.yaml\`.`)
  .join('\n\n');

const KEY = 'cc-crash-key-0123456789';
let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The pids of the processes whose parent is `pid`. */
function children(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** A file under /proc/<pid>, or '' once the process is gone (short-lived children exit between listing and reading). */
function procFile(pid: number, name: string): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return '';
  }
}

const alive = (pid: number) => {
  const stat = procFile(pid, 'stat');
  return stat !== '' && !stat.includes(') Z ');
};

async function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(process.platform === 'linux')('a Claude Code session when phasewise is killed', () => {
  it('dies with it, and the run resumes to its end', async () => {
    server = await startFakeLlmServer({
      apiKey: KEY,
      script: {
        conversations: [{ name: 'research', match: [], turns: [{ text: 'never sent', delayMs: 600_000 }] }],
      },
    });
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-cc-crash-'));
    writeFileSync(
      join(workspace, 'phasewise.yaml'),
      `version: 1
task: map the workspace
models:
  tiers: [haiku, sonnet, opus]
  haiku: cc:claude-haiku-4-5
  sonnet: cc:claude-sonnet-4-5
  opus: cc:claude-opus-4-5
  providers:
    cc: { kind: claude-code, base_url: "${server.anthropicBaseUrl}", api_key_env: CC_CRASH_KEY }
phases:
  research: {}
`,
    );
    const running = startCli(['run', '--json'], { cwd: workspace, env: { CC_CRASH_KEY: KEY } });
    const pid = running.child.pid!;
    const session = await until(() => {
      const found = children(pid).find((child) => procFile(child, 'cmdline').includes('claude'));
      return found !== undefined && server!.requests.length > 0 ? found : undefined;
    }, 30_000);
    expect(session, 'Claude Code started and sent its first request').toBeDefined();
    running.child.kill('SIGKILL');
    await running.done;
    expect(await until(() => (alive(session!) ? undefined : true), 10_000)).toBe(true);

    // The same run, resumed against a server that answers: the cut-off session is re-run to its end.
    await server.close();
    server = await startFakeLlmServer({
      port: Number(new URL(server.url).port),
      apiKey: KEY,
      script: { conversations: [{ name: 'research', match: [], turns: [{ text: researchReport }] }] },
    });
    const killed = await running.done;
    const { runId } = JSON.parse(killed.stdout.split('\n')[0]!) as { runId: string };
    const resumed = await startCli(['resume', runId, '--json'], {
      cwd: workspace,
      env: { CC_CRASH_KEY: KEY },
    }).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const journal = openJournal({ workspace });
    const starts = (await journal.listSteps(runId))
      .filter((step) => step.kind === 'session' && step.key.endsWith('/start'))
      .map((step) => (step.result as { rerunOf: number | null }).rerunOf);
    await journal.close();
    expect(starts).toEqual([null, 1]);
  }, 90_000);
});
