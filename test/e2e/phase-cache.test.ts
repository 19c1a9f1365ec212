/**
 * The phase cache end to end (issue 18): the demo's task through the built CLI and the real Anthropic client
 * against the fake LLM server, in a real git repository. The same tree twice: the second run pays nothing for the
 * reused phases and the server sees no request for them. One file changed: every phase's key changes (each starts
 * from the workspace's tree), so every phase runs again. `--reuse all` re-applies the workspace-changing phases'
 * changes and verifies the tree; `--no-reuse` calls the model for every phase.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitExample, DEMO_KEY, DEMO_KEY_ENV, demoConfig } from '../../src/cli/commands/demo.js';
import type { RunEvent } from '../../src/events/index.js';
import { type FakeLlmServer, loadFakeLlmScript, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');
let server: FakeLlmServer;
let workspace: string;

beforeAll(async () => {
  server = await startFakeLlmServer({
    script: loadFakeLlmScript(join(examples, 'demo', 'script.yaml')),
    apiKey: DEMO_KEY,
  });
  workspace = mkdtempSync(join(tmpdir(), 'phasewise-e2e-cache-'));
  cpSync(join(examples, 'auth-service'), workspace, { recursive: true });
  cpSync(join(examples, 'demo', 'TASK.md'), join(workspace, 'TASK.md'));
  writeFileSync(join(workspace, 'phasewise.yaml'), demoConfig(server.anthropicBaseUrl));
  commitExample(workspace);
});

afterAll(async () => {
  await server?.close();
});

interface DemoRun {
  code: number | null;
  events: RunEvent[];
  /** The scripted conversations the server answered during the run, one per request. */
  conversations: string[];
  costUsd: number;
}

async function demoRun(...args: string[]): Promise<DemoRun> {
  const before = server.requests.length;
  const running = startCli(['run', '--json', ...args], {
    cwd: workspace,
    env: { [DEMO_KEY_ENV]: DEMO_KEY },
  });
  const result = await running.done;
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunEvent);
  const end = events.find((event) => event.type === 'run-end');
  const conversations = server.requests.slice(before).map((request) => request.conversation ?? '?');
  expect(result.code, result.stderr).toBe(0);
  return { code: result.code, events, conversations, costUsd: end?.type === 'run-end' ? end.costUsd : NaN };
}

/** The workspace back at its commit (the journal and worktrees under `.phasewise/` kept). */
function resetTree(): void {
  execFileSync('git', ['checkout', '-q', '--', '.'], { cwd: workspace });
  execFileSync('git', ['clean', '-fdq', '-e', '.phasewise'], { cwd: workspace });
}

const reusedPhases = (run: DemoRun) =>
  run.events.flatMap((event) => (event.type === 'phase-reused' ? [event.phaseId] : []));
const asked = (run: DemoRun, phase: string) =>
  run.conversations.filter((name) => name === phase || name.startsWith(`${phase},`)).length;

describe('the phase cache on the demo task', () => {
  it('reuses, misses on a changed file, re-applies with --reuse all, and is off with --no-reuse', async () => {
    const first = await demoRun();
    expect(reusedPhases(first)).toEqual([]);
    expect(asked(first, 'research')).toBeGreaterThan(0);
    expect(asked(first, 'planning')).toBeGreaterThan(0);

    // The same tree again: the read-only phases are reused, and the server is not asked for them.
    resetTree();
    const second = await demoRun();
    expect(reusedPhases(second)).toEqual(expect.arrayContaining(['research', 'planning']));
    expect(asked(second, 'research')).toBe(0);
    expect(asked(second, 'planning')).toBe(0);
    expect(second.conversations.length).toBeLessThan(first.conversations.length);
    expect(second.costUsd).toBeLessThan(first.costUsd);
    for (const event of second.events) {
      if (event.type === 'phase-end' && reusedPhases(second).includes(event.phaseId))
        expect(event.costUsd).toBe(0);
    }
    console.info(
      `phase cache e2e: first run ${first.conversations.length} requests $${first.costUsd.toFixed(4)}; second ${second.conversations.length} requests $${second.costUsd.toFixed(4)}, reused ${reusedPhases(second).join(', ')}`,
    );

    // One file changed: every phase starts from another tree, so every phase runs again.
    resetTree();
    const pkg = join(workspace, 'package.json');
    writeFileSync(pkg, readFileSync(pkg, 'utf8').replace('{', '{\n  "description": "changed",'));
    const changed = await demoRun();
    expect(reusedPhases(changed)).toEqual([]);
    expect(asked(changed, 'research')).toBeGreaterThan(0);
    expect(asked(changed, 'planning')).toBeGreaterThan(0);

    // --reuse all: a first run stores the workspace-changing phases; on the same tree again they are reused, their
    // recorded changes applied and the tree verified. The first implementation round is the exception: its
    // changes hold a secret-looking value (a test's `Basic …` header), and a patch that would need redacting is
    // never stored, so it runs again; its second round, verification and everything read-only do not.
    resetTree();
    await demoRun('--reuse', 'all');
    resetTree();
    const all = await demoRun('--reuse', 'all');
    expect(reusedPhases(all)).toEqual(
      expect.arrayContaining(['research', 'planning', 'implementation@2', 'verification']),
    );
    expect(reusedPhases(all)).not.toContain('implementation');
    expect(all.conversations.every((name) => name.startsWith('implementation, '))).toBe(true);
    expect(asked(all, 'verification')).toBe(0);
    const applied = all.events.find(
      (event) => event.type === 'phase-reused' && event.phaseId === 'implementation@2',
    );
    expect(applied).toMatchObject({ changesApplied: true });
    // The workspace holds both rounds' work, as a run that called the model for them leaves it.
    expect(existsSync(join(workspace, 'src', 'tokens.js'))).toBe(true);
    expect(all.costUsd).toBeLessThan(second.costUsd);

    // --no-reuse: every phase asks the model, as the first run did.
    resetTree();
    const off = await demoRun('--no-reuse');
    expect(reusedPhases(off)).toEqual([]);
    expect(off.conversations.length).toBe(first.conversations.length);
  }, 600_000);
});
