/**
 * A fanned-out phase through the built CLI against the fake LLM server over HTTP, in a real git repository:
 * three items side by side, the run SIGKILLed once one item has finished and another's first call is journaled
 * while the second's call and a third item's are still streaming; then `resume`. No paid call recorded before the
 * kill is requested again, the cut-off lanes carry on in their worktrees (a lost one is recreated), the run
 * finishes with every item merged into the workspace, and no worktree is left behind. And a workspace that is not
 * a git repository is refused before anything runs.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { type FakeLlmScript, type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { cli, startCli } from '../support/cli.js';
import { reportOf } from '../support/crash-workspace.js';
import { git, planReport } from '../support/fan-out-plan.js';

const KEY_ENV = 'VENDOR_LOGIN';
const API_KEY = 'fan-out-suite-login-1';
const env = { [KEY_ENV]: API_KEY };
/** Between a slow answer's stream events: a report takes well over a second to stream. */
const SLOW_MS = 120;

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const items = ['alpha', 'beta', 'gamma'];

const plan = planReport(
  items.map((id) => ({ id, title: `Module ${id}`, acceptance: `${id}.txt holds its module` })),
  `${reportOf('planning')}\n`,
);

const write = (id: string) => ({
  toolCalls: [{ name: 'write', input: { path: `${id}.txt`, content: `${id}\n` } }],
});
const slow = <T extends object>(turn: T, delayMs = SLOW_MS) => ({ ...turn, delayMs });

/**
 * Each item's conversation is told apart by its own fence in the first user message. alpha answers at once;
 * beta's first call is quick and its second slow; gamma's first is slow: the kill finds both in flight.
 */
const script: FakeLlmScript = {
  conversations: [
    { name: 'planning', match: ['## Executive summary'], turns: [{ text: plan }] },
    {
      name: 'merge',
      match: ['## Changes', 'are being merged'],
      turns: [{ text: reportOf('implementation') }],
    },
    {
      name: 'item-alpha',
      match: ['## Changes', 'work item alpha\n'],
      turns: [write('alpha'), { text: reportOf('implementation') }],
    },
    {
      name: 'item-beta',
      match: ['## Changes', 'work item beta\n'],
      turns: [write('beta'), slow({ text: reportOf('implementation') })],
    },
    {
      name: 'item-gamma',
      match: ['## Changes', 'work item gamma\n'],
      // Slower still: a short answer, and under load alpha's lane (two calls, a gate, git) takes a while.
      turns: [slow(write('gamma'), 4 * SLOW_MS), { text: reportOf('implementation') }],
    },
  ],
};

function config(baseUrl: string): string {
  return `version: 1
task: Add three small modules
budget: 2.00
models:
  tiers: [small, large]
  small: vendor:claude-haiku-4-5
  large: vendor:claude-sonnet-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: ${KEY_ENV} }
phases:
  planning: { model: small, cost_limit: $0.30, quality_threshold: 0.90 }
  implementation:
    model: small
    cost_limit: $0.60
    dependencies: planning
    fan_out: { from: planning, max_parallel: 3 }
`;
}

function repository(baseUrl: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-fan-out-e2e-'));
  writeFileSync(join(workspace, 'phasewise.yaml'), config(baseUrl));
  writeFileSync(join(workspace, 'README.md'), 'three modules to come\n');
  git(workspace, 'init', '-q');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'init');
  return workspace;
}

interface Line {
  type: string;
  item?: string;
  turn?: number;
  commit?: string | null;
}

/** Runs until alpha's item has ended and beta's first call is journaled, then SIGKILLs the CLI. */
async function killMidFanOut(workspace: string): Promise<void> {
  const running = startCli(['run', '--json'], { cwd: workspace, env });
  let alphaDone = false;
  let betaCalled = false;
  running.onLine((line) => {
    let event: Line;
    try {
      event = JSON.parse(line) as Line;
    } catch {
      return;
    }
    if (event.type === 'item-end' && event.item === 'alpha') alphaDone = true;
    if (event.type === 'model-call-end' && event.item === 'beta' && event.turn === 1) betaCalled = true;
    if (alphaDone && betaCalled && running.child.exitCode === null) running.child.kill('SIGKILL');
  });
  const result = await running.done;
  expect(result.signal, `${result.stdout}\n${result.stderr}`).toBe('SIGKILL');
}

async function journalView(workspace: string) {
  const journal = openJournal({ workspace });
  try {
    const run = (await journal.listRuns())[0]!;
    const steps = await journal.listSteps(run.runId);
    return { run, steps };
  } finally {
    await journal.close();
  }
}

/** `implementation/item-beta/a1/t2/model` → `item-beta#2`, the fake server's conversation and turn. */
const servedAs = (key: string) => {
  const match =
    /^implementation\/(item-\w+)\/a1\/t(\d+)\/model$/.exec(key) ??
    /^(planning)\/a1\/t(\d+)\/model$/.exec(key);
  return match === null ? undefined : `${match[1]}#${match[2]}`;
};

describe('a fanned-out phase killed mid-fan-out', () => {
  it('resumes without repeating a paid call, recreates a lost worktree and leaves none behind', async () => {
    server = await startFakeLlmServer({ script, apiKey: API_KEY });
    const workspace = repository(server.anthropicBaseUrl);
    const head = git(workspace, 'rev-parse', 'HEAD').trim();
    await killMidFanOut(workspace);

    const killed = await journalView(workspace);
    const runId = killed.run.runId;
    const paidBefore = killed.steps.filter((step) => step.key.endsWith('/model')).map((step) => step.key);
    // alpha finished (its commit journaled), beta's first call journaled, beta's second and gamma's first not.
    expect(paidBefore).toEqual(
      expect.arrayContaining([
        'implementation/item-alpha/a1/t2/model',
        'implementation/item-beta/a1/t1/model',
      ]),
    );
    expect(killed.steps.map((step) => step.key)).toContain('implementation/item-alpha/commit');
    expect(paidBefore).not.toContain('implementation/item-beta/a1/t2/model');
    expect(paidBefore).not.toContain('implementation/item-gamma/a1/t1/model');
    // The lanes' worktrees outlive the kill; beta's holds its first call's write.
    const lanes = join(workspace, '.phasewise', 'worktrees', runId, 'implementation');
    expect(readdirSync(lanes).sort()).toEqual(['item-alpha', 'item-beta', 'item-gamma']);
    expect(readFileSync(join(lanes, 'item-beta', 'beta.txt'), 'utf8')).toBe('beta\n');
    // gamma's worktree is lost (nothing of it was journaled but its start): the resume makes it again.
    rmSync(join(lanes, 'item-gamma'), { recursive: true, force: true });

    const resumed = await startCli(['resume', runId, '--json'], { cwd: workspace, env }).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const events = resumed.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line & { status?: string; outcome?: string; replayed?: boolean });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded' });
    expect(
      events.filter((event) => event.type === 'merge-end').map((event) => [event.item, event.outcome]),
    ).toEqual([
      ['alpha', 'merged'],
      ['beta', 'merged'],
      ['gamma', 'merged'],
    ]);

    // No paid call recorded before the kill was requested again: each was served exactly once.
    const served = new Map<string, number>();
    for (const request of server.requests) {
      const at = `${request.conversation}#${request.turn}`;
      served.set(at, (served.get(at) ?? 0) + 1);
    }
    for (const key of paidBefore) expect(served.get(servedAs(key)!), key).toBe(1);
    // The calls cut off by the kill were made again, once each.
    expect(served.get('item-beta#2')).toBeLessThanOrEqual(2);
    expect(served.get('item-gamma#1')).toBeLessThanOrEqual(2);
    expect(server.unexpected).toEqual([]);

    // The journal holds every step once, and the run's cost is the sum of its paid steps, each counted once.
    const after = await journalView(workspace);
    const keys = after.steps.map((step) => step.key);
    expect(new Set(keys).size).toBe(keys.length);
    const stepCost = after.steps.reduce((sum, step) => sum + step.costUsd, 0);
    expect(after.run.status).toBe('succeeded');
    expect(after.run.costUsd).toBeCloseTo(stepCost, 9);
    for (const key of paidBefore) {
      const before = killed.steps.find((step) => step.key === key)!;
      expect(after.steps.find((step) => step.key === key)?.costUsd).toBe(before.costUsd);
    }

    // Every item's work is in the workspace, uncommitted; the user's HEAD is where it was.
    for (const id of items) expect(readFileSync(join(workspace, `${id}.txt`), 'utf8')).toBe(`${id}\n`);
    expect(git(workspace, 'rev-parse', 'HEAD').trim()).toBe(head);
    // No worktree is left behind, nor registered with git.
    expect(existsSync(join(workspace, '.phasewise', 'worktrees', runId))).toBe(false);
    expect(git(workspace, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  }, 60_000);

  it('refuses a workspace that is not a git repository, before anything is spent', async () => {
    server = await startFakeLlmServer({ script, apiKey: API_KEY });
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-fan-out-e2e-'));
    writeFileSync(join(workspace, 'phasewise.yaml'), config(server.anthropicBaseUrl));
    const refused = cli(['run'], { cwd: workspace, env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/must be a git repository: run `git init/);
    expect(refused.stderr).toContain('implementation');
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(server.requests).toEqual([]);
  }, 30_000);
});
