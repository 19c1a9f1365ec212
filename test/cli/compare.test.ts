/**
 * `phasewise compare` end to end: the built CLI in a subprocess, the real Anthropic client against the fake LLM
 * server, a real git repository as the workspace. A finished run is re-run under another policy in a worktree;
 * both sides' costs are checked against the fake server's own billing of the requests each side made, and the
 * original workspace is left exactly as it was. With `model: auto`, the original's misroutes are counted: one
 * that had to escalate (under), one whose cheaper tier passed in the re-run (over).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOfUsage } from '../../src/budget/cost.js';
import { lookupPrice } from '../../src/budget/price-table.js';
import { builtinAgents } from '../../src/config/index.js';
import type { RecordedRequest } from '../../src/testing/fake-llm-request.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { type CliResult, cli, startCli } from '../support/cli.js';

const KEY = 'fake-key-for-the-compare-test';
const env = { COMPARE_TEST_KEY: KEY };
const report = builtinAgents
  .implementation!.deliverables.map((section) => `## ${section}\nDone: ${section}.`)
  .join('\n\n');
const GOOD = { path: 'math.js', content: 'export const add = (a, b) => a + b;\n' };
const BAD = { path: 'math.js', content: 'export const add = (a, b) => a * b;\n' };

const write = (file: { path: string; content: string }) => ({
  toolCalls: [{ name: 'write', input: file }],
});
const script = {
  conversations: [
    {
      name: 'verifies',
      match: ['TASKSUB', '## Go/no-go'],
      turns: [
        {
          text: builtinAgents
            .verification!.deliverables.map(
              (section) => `## ${section}\n${section === 'Go/no-go' ? 'Go' : 'Done.'}`,
            )
            .join('\n\n'),
        },
      ],
    },
    { name: 'sub', match: ['TASKSUB'], turns: [write(GOOD), { text: report }] },
    // A retried or escalated attempt carries the gate's feedback: then TASKUNDER's work is right.
    {
      name: 'under-again',
      match: ['TASKUNDER', 'did not pass the quality gate'],
      turns: [write(GOOD), { text: report }],
    },
    { name: 'under', match: ['TASKUNDER'], turns: [write(BAD), { text: report }] },
    // The report comes slowly: room to kill a compare while it is being answered.
    { name: 'killed', match: ['TASKKILL'], turns: [write(GOOD), { text: report, delayMs: 150 }] },
    { name: 'plain', match: ['TASKPLAIN'], turns: [write(GOOD), { text: report }] },
    { name: 'over', match: ['TASKOVER'], turns: [write(GOOD), { text: report }] },
    { name: 'halts', match: ['TASKHALT'], turns: [{ text: 'Nothing done.' }] },
  ],
};

function git(args: string[], cwd: string): string {
  return execFileSync('git', ['-c', 'user.email=compare@test', '-c', 'user.name=compare', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

const config = (model: string, escalation: string) => `version: 1
budget: 1.00
models:
  tiers: [small, large]
  small: fake:claude-haiku-4-5
  large: fake:claude-sonnet-4-5
  providers:
    fake: { kind: anthropic, base_url: "BASE_URL", api_key_env: COMPARE_TEST_KEY }
phases:
  implementation:
    agent: implementation
    model: ${model}
    cost_limit: $0.20
    escalation: ${escalation}
    quality_gate:
      threshold: 0.8
      checks:
        - { kind: sections, weight: 0.5 }
        - { kind: command, name: tests, command: node --test, weight: 0.5, required: true }
`;

let server: FakeLlmServer;
let repo: string;

beforeAll(async () => {
  // Every model caches from 1,024 tokens here, as Sonnet 4.5 does (Haiku 4.5 only from 4,096): the misroute test
  // below wants the cheaper tier's re-run to be the cheaper one, and with prompts between the two minimums that
  // would be a question of caching rules, not of tiers.
  server = await startFakeLlmServer({ script, apiKey: KEY, cacheMinTokens: 1024 });
  // No hyphens in these paths: they are in every prompt.
  const root = mkdtempSync(join(tmpdir(), 'pwcompare'));
  repo = join(root, 'repo');
  mkdirSync(join(repo, 'test'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(repo, 'math.js'), 'export const add = (a, b) => a - b;\n');
  writeFileSync(
    join(repo, 'test', 'visible.test.js'),
    "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../math.js';\ntest('add', () => assert.equal(add(1, 1), 2));\n",
  );
  const base = (text: string) => text.replace('BASE_URL', server.anthropicBaseUrl);
  writeFileSync(join(repo, 'phasewise.yaml'), base(config('small', '[halt]')));
  writeFileSync(join(repo, 'auto.yaml'), base(config('auto', '[escalate, halt]')));
  git(['init', '--quiet'], repo);
  git(['add', '.'], repo);
  git(['commit', '--quiet', '-m', 'start'], repo);
});

afterAll(async () => {
  await server.close();
});

/** What the fake server billed for these requests, priced per the model each one named. */
function billed(requests: readonly RecordedRequest[]): number {
  return requests.reduce((sum, request) => {
    const usage = request.usage!;
    const model = (request.body as { model: string }).model;
    const tokens = {
      inputNoCache: usage.input,
      cacheRead: usage.cacheRead,
      cacheWrite: usage.cacheWrite5m + usage.cacheWrite1h,
      cacheWrite1h: usage.cacheWrite1h,
      output: usage.output,
    };
    return sum + costOfUsage(tokens, lookupPrice(model)!);
  }, 0);
}

const modelsOf = (requests: readonly RecordedRequest[]) => [
  ...new Set(requests.map((request) => (request.body as { model: string }).model)),
];

/** The CLI, not blocking this process: the fake server it talks to lives here. */
const cliAsync = (args: string[]): Promise<CliResult> => startCli(args, { cwd: repo, env }).done;

/** A finished run: its id, and the requests it made. */
async function finishedRun(args: string[]): Promise<{ runId: string; requests: RecordedRequest[] }> {
  const before = server.requests.length;
  const result = await cliAsync(['run', ...args]);
  const runId = /run (\S+) (succeeded|halted)/.exec(result.stderr)?.[1];
  expect(runId, result.stderr).toBeDefined();
  return { runId: runId!, requests: server.requests.slice(before) };
}

interface ComparisonJson {
  policy: string;
  commit: string;
  uncommitted: boolean;
  folder: string;
  original: {
    runId: string;
    status: string;
    costUsd: number;
    workspace: string;
    phases: Array<{ models: string[]; attempts: number }>;
  };
  rerun: {
    status: string;
    costUsd: number;
    workspace: string;
    check: { solved: boolean } | null;
    phases: Array<{ id: string; models: string[]; attempts: number; escalations: number }>;
  };
  difference: { savedUsd: number; savedShare: number | null };
  misroutes: {
    autoPhases: number;
    under: number;
    over: number;
    right: number;
    unknown: number;
    phases: Array<{ verdict: string; chosenTier: string }>;
  };
}

describe('phasewise compare', () => {
  let plain: { runId: string; requests: RecordedRequest[] };

  beforeAll(async () => {
    plain = await finishedRun(['TASKPLAIN: make add() add its arguments']);
  });

  it('refuses to start above --max-cost without --yes when not on a terminal', () => {
    const before = server.requests.length;
    const result = cli(['compare', plain.runId, '--policy', 'all-top', '--max-cost', '0.01'], {
      cwd: repo,
      env,
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/the re-run may cost up to \$[\d.]+, above --max-cost \(\$0\.01\)/);
    expect(result.stderr).toContain('--yes');
    expect(server.requests.length).toBe(before);
  });

  it('re-runs the task under all-top in a worktree and measures both sides as billed', async () => {
    const head = git(['rev-parse', 'HEAD'], repo);
    const workspaceBefore = readFileSync(join(repo, 'math.js'), 'utf8');
    const statusBefore = git(['status', '--porcelain'], repo);
    expect(workspaceBefore).toBe(GOOD.content);
    const before = server.requests.length;

    const result = await cliAsync([
      'compare',
      plain.runId,
      '--policy',
      'all-top',
      '--yes',
      '--json',
      '--check',
      'node --test',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const rerunRequests = server.requests.slice(before);
    expect(server.unexpected).toEqual([]);
    const comparison = JSON.parse(result.stdout) as ComparisonJson;

    // The original side is what the run's requests cost; the re-run's, what the compare's requests cost.
    expect(modelsOf(plain.requests)).toEqual(['claude-haiku-4-5']);
    expect(modelsOf(rerunRequests)).toEqual(['claude-sonnet-4-5']);
    expect(comparison.original.costUsd).toBeCloseTo(billed(plain.requests), 6);
    expect(comparison.rerun.costUsd).toBeCloseTo(billed(rerunRequests), 6);
    expect(comparison.rerun.costUsd).toBeGreaterThan(comparison.original.costUsd);
    // The difference is the billed amounts' (exact), rounded to the micro-dollar like every money field of the
    // JSON: compared with the difference of the two printed (each rounded) costs it could be off by one more.
    const saved = billed(rerunRequests) - billed(plain.requests);
    expect(comparison.difference.savedUsd).toBeCloseTo(saved, 6);
    expect(comparison.difference.savedShare).toBeCloseTo(saved / billed(rerunRequests), 4);
    expect(comparison).toMatchObject({
      policy: 'all-top',
      commit: head,
      uncommitted: true,
      original: { runId: plain.runId, status: 'succeeded', workspace: repo },
      rerun: { status: 'succeeded', check: { solved: true } },
      misroutes: { autoPhases: 0 },
    });
    expect(comparison.original.phases[0]).toMatchObject({ models: ['fake:claude-haiku-4-5'], attempts: 1 });
    expect(comparison.rerun.phases[0]).toMatchObject({ models: ['fake:claude-sonnet-4-5'], attempts: 1 });

    // The re-run worked in a git worktree under .phasewise/compare/, and its prompts named that folder.
    expect(comparison.rerun.workspace.startsWith(join(repo, '.phasewise', 'compare'))).toBe(true);
    expect(git(['worktree', 'list'], repo)).toContain(comparison.rerun.workspace);
    expect(readFileSync(join(comparison.rerun.workspace, 'math.js'), 'utf8')).toBe(GOOD.content);
    for (const request of rerunRequests)
      expect(JSON.stringify(request.body)).toContain(comparison.rerun.workspace);
    // The original workspace is as it was: same file, same git status, same HEAD.
    expect(readFileSync(join(repo, 'math.js'), 'utf8')).toBe(workspaceBefore);
    expect(git(['status', '--porcelain'], repo)).toBe(statusBefore);
    expect(git(['rev-parse', 'HEAD'], repo)).toBe(head);
    expect(result.stderr).toMatch(
      /uncommitted changes .* the re-run starts from commit [0-9a-f]{12} without them/,
    );

    // compare.json and compare.md in the folder say the same.
    expect(JSON.parse(readFileSync(join(comparison.folder, 'compare.json'), 'utf8'))).toEqual(comparison);
    const markdown = readFileSync(join(comparison.folder, 'compare.md'), 'utf8');
    expect(markdown).toContain(`| original | ${plain.runId} | succeeded |`);
    expect(markdown).toMatch(/the original saved \$[\d.]+ \(\d+ % of all-top's cost\)/);

    // Asked again, the finished re-run is read back, not paid for again; the terminal table shows it.
    const again = await cliAsync(['compare', plain.runId, '--policy', 'all-top', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(server.requests.length).toBe(before + rerunRequests.length);
    expect(again.stderr).toMatch(
      /the re-run \S+ under all-top ended earlier: read back from its journal, not run again/,
    );
    expect(again.stdout).toMatch(/^original +\S+ +succeeded/m);
    expect(again.stdout).toMatch(/^all-top +\S+ +succeeded/m);
  }, 120_000);

  it('refuses an unknown run and a run that has not finished, with exit 2', async () => {
    const unknown = cli(['compare', '20261129-101500-a1b2', '--yes'], { cwd: repo, env });
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toContain('no run 20261129-101500-a1b2');

    const halted = await finishedRun(['TASKHALT: make add() add its arguments']);
    const before = server.requests.length;
    const refused = cli(['compare', halted.runId, '--yes'], { cwd: repo, env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`run ${halted.runId} is halted, not finished`);
    expect(refused.stderr).toContain(`phasewise approve, reject or abort ${halted.runId}`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(server.requests.length).toBe(before);
  }, 60_000);

  it('refuses a workspace outside git, saying what to do', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pwnogit'));
    writeFileSync(join(outside, 'phasewise.yaml'), readFileSync(join(repo, 'phasewise.yaml')));
    const result = await startCli(['run', 'TASKPLAIN: make add() add its arguments'], { cwd: outside, env })
      .done;
    const runId = /run (\S+) succeeded/.exec(result.stderr)?.[1];
    expect(runId, result.stderr).toBeDefined();
    const before = server.requests.length;
    const refused = cli(['compare', runId!, '--yes'], { cwd: outside, env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`${outside} is not in a git repository`);
    expect(refused.stderr).toContain('git init');
    expect(server.requests.length).toBe(before);
  }, 60_000);

  it("re-runs a workspace in a subfolder of its repository in the same subfolder, with verification's go", async () => {
    const mono = mkdtempSync(join(tmpdir(), 'pwmono'));
    const app = join(mono, 'app');
    mkdirSync(join(app, 'test'), { recursive: true });
    for (const name of ['package.json', 'math.js', join('test', 'visible.test.js')]) {
      writeFileSync(join(app, name), execFileSync('git', ['show', `HEAD:${name}`], { cwd: repo }));
    }
    writeFileSync(
      join(app, 'phasewise.yaml'),
      `${readFileSync(join(repo, 'phasewise.yaml'), 'utf8')}  verification:
    agent: verification
    model: small
    depends_on: [implementation]
    cost_limit: $0.20
    escalation: [halt]
    quality_gate: { threshold: 0.8, checks: [{ kind: sections }] }
`,
    );
    git(['init', '--quiet'], mono);
    git(['add', '.'], mono);
    git(['commit', '--quiet', '-m', 'start'], mono);
    const run = await startCli(['run', 'TASKSUB: make add() add its arguments'], { cwd: app, env }).done;
    const runId = /run (\S+) succeeded/.exec(run.stderr)?.[1];
    expect(runId, run.stderr).toBeDefined();
    const result = await startCli(['compare', runId!, '--yes', '--json'], { cwd: app, env }).done;
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout) as ComparisonJson & {
      original: { verdict: string | null };
      rerun: { verdict: string | null };
    };
    expect(comparison.rerun.workspace).toMatch(/\/\.phasewise\/compare\/[0-9a-f]{6}\/w\/app$/);
    expect(readFileSync(join(comparison.rerun.workspace, 'math.js'), 'utf8')).toBe(GOOD.content);
    expect(comparison.original.verdict).toBe('go');
    expect(comparison.rerun.verdict).toBe('go');
    expect(comparison.rerun.phases.map((phase) => phase.id)).toEqual(['implementation', 'verification']);
  }, 90_000);

  it('is killed during the re-run, and the same command resumes it without asking again what was recorded', async () => {
    const original = await finishedRun(['TASKKILL: make add() add its arguments']);
    const before = server.requests.length;
    const running = startCli(['compare', original.runId, '--yes'], { cwd: repo, env });
    const watch = setInterval(() => {
      if (server.requests.slice(before).some((request) => request.turn === 2)) {
        clearInterval(watch);
        running.child.kill('SIGKILL');
      }
    }, 5);
    const killed = await running.done;
    clearInterval(watch);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(server.requests.slice(before).map((request) => request.turn)).toEqual([1, 2]);
    const resumedFrom = server.requests.length;

    const resumed = await cliAsync(['compare', original.runId, '--yes', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming the re-run \S+/);
    // The first answer is in the re-run's journal: only the one cut off is asked for again.
    expect(server.requests.slice(resumedFrom).map((request) => request.turn)).toEqual([2]);
    const comparison = JSON.parse(resumed.stdout) as ComparisonJson;
    expect(comparison.rerun.status).toBe('succeeded');
    expect(readFileSync(join(comparison.rerun.workspace, 'math.js'), 'utf8')).toBe(GOOD.content);
  }, 90_000);

  it('counts the misroutes of model: auto: an escalation is under, a cheaper tier that passed is over', async () => {
    // A plain task: auto starts on small, whose work fails the tests, and escalates to large.
    const under = await finishedRun(['-c', 'auto.yaml', 'TASKUNDER: make add() add its arguments']);
    expect(modelsOf(under.requests)).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
    const underResult = await cliAsync(['compare', under.runId, '--policy', 'all-top', '--yes', '--json']);
    expect(underResult.code, underResult.stderr).toBe(0);
    const underComparison = JSON.parse(underResult.stdout) as ComparisonJson;
    expect(underComparison.misroutes).toMatchObject({ autoPhases: 1, under: 1, over: 0 });
    expect(underComparison.misroutes.phases[0]).toMatchObject({ verdict: 'under', chosenTier: 'small' });

    // A task full of risk and reasoning words: auto starts on large, and passes there.
    const over = await finishedRun([
      '-c',
      'auto.yaml',
      'TASKOVER: migrate the production auth architecture; security and caching design matter',
    ]);
    expect(modelsOf(over.requests)).toEqual(['claude-sonnet-4-5']);
    // Without a cheaper run to tell, whether large was needed is unknown...
    const top = await cliAsync(['compare', over.runId, '--policy', 'all-top', '--yes', '--json']);
    expect(top.code, top.stderr).toBe(0);
    expect((JSON.parse(top.stdout) as ComparisonJson).misroutes).toMatchObject({ autoPhases: 1, unknown: 1 });
    // ...the re-run on small passed it: that is an over-route.
    const cheapest = await cliAsync(['compare', over.runId, '--policy', 'all-cheapest', '--yes', '--json']);
    expect(cheapest.code, cheapest.stderr).toBe(0);
    const overComparison = JSON.parse(cheapest.stdout) as ComparisonJson;
    expect(overComparison.rerun.status).toBe('succeeded');
    expect(overComparison.rerun.phases[0]!.models).toEqual(['fake:claude-haiku-4-5']);
    expect(overComparison.misroutes).toMatchObject({ autoPhases: 1, under: 0, over: 1 });
    expect(overComparison.difference.savedUsd).toBeLessThan(0);
    expect(existsSync(join(overComparison.folder, 'compare.md'))).toBe(true);
    expect(readFileSync(join(overComparison.folder, 'compare.md'), 'utf8')).toContain('0 under, 1 over');
  }, 180_000);
});
