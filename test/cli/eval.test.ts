/**
 * `phasewise eval` end to end: the built CLI in a subprocess, the real Anthropic client against the fake LLM
 * server (in this process, so it outlives the CLI), three tasks on a real git repository, two policies, two
 * repeats, hidden checks that live outside the repository. The eval is killed with SIGKILL in the middle and run
 * again: the server's own request log proves that no run recorded before the kill asked for anything again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { binPath, cli, startCli } from '../support/cli.js';

const KEY = 'fake-key-for-the-eval-test';
const report = builtinAgents
  .implementation!.deliverables.map((section) => `## ${section}\nDone: ${section}.`)
  .join('\n\n');

/** What each task's scripted model writes: A fixes add(); B fits the visible test only; C fixes it but adds a failing test. */
const answers: Record<string, Array<{ path: string; content: string }>> = {
  'TASK-A': [{ path: 'math.js', content: 'export const add = (a, b) => a + b;\n' }],
  'TASK-B': [{ path: 'math.js', content: 'export const add = () => 2;\n' }],
  'TASK-C': [
    { path: 'math.js', content: 'export const add = (a, b) => a + b;\n' },
    {
      path: 'test/extra.test.js',
      content:
        "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../math.js';\ntest('x', () => assert.equal(add(1, 1), 3));\n",
    },
  ],
};

function script() {
  return {
    conversations: Object.entries(answers).map(([marker, writes]) => ({
      name: marker,
      match: [marker],
      turns: [{ toolCalls: writes.map((input) => ({ name: 'write', input })) }, { text: report }],
    })),
  };
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', ['-c', 'user.email=eval@test', '-c', 'user.name=eval', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

let root: string;
let server: FakeLlmServer;

function setUp(): string {
  // No hyphens in these paths: they are in every prompt, and the test reads them back from the requests.
  root = mkdtempSync(join(tmpdir(), 'pweval'));
  const repo = join(root, 'repo');
  mkdirSync(join(repo, 'test'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(repo, 'math.js'), 'export const add = (a, b) => a - b;\n');
  writeFileSync(
    join(repo, 'test', 'visible.test.js'),
    "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../math.js';\ntest('add', () => assert.equal(add(1, 1), 2));\n",
  );
  git(['init', '--quiet'], repo);
  git(['add', '.'], repo);
  git(['commit', '--quiet', '-m', 'start'], repo);
  const commit = git(['rev-parse', 'HEAD'], repo);
  const hidden = join(root, 'hidden');
  mkdirSync(hidden);
  writeFileSync(
    join(hidden, 'check.mjs'),
    "import { join } from 'node:path';\nconst { add } = await import(join(process.cwd(), 'math.js'));\nprocess.exit(add(2, 3) === 5 ? 0 : 1);\n",
  );
  const tasks = join(root, 'tasks');
  mkdirSync(tasks);
  for (const marker of Object.keys(answers)) {
    writeFileSync(
      join(tasks, `${marker.toLowerCase()}.yaml`),
      `task: "${marker}: make add() add its arguments"\nrepository: ../repo\ncommit: ${commit}\nhidden_check:\n  command: node ${join(hidden, 'check.mjs')}\n  timeout: 30s\n`,
    );
  }
  writeFileSync(
    join(root, 'phasewise.yaml'),
    `version: 1
budget: 1.00
models:
  tiers: [small, large]
  small: fake:claude-haiku-4-5
  large: fake:claude-sonnet-4-5
  providers:
    fake: { kind: anthropic, base_url: "${server.anthropicBaseUrl}", api_key_env: EVAL_TEST_KEY }
phases:
  implementation:
    agent: implementation
    model: small
    cost_limit: $0.20
    escalation: [halt]
    quality_gate:
      threshold: 0.8
      checks:
        - { kind: sections, weight: 0.5 }
        - { kind: command, name: tests, command: node --test, weight: 0.5, required: true }
`,
  );
  return root;
}

beforeAll(async () => {
  // Each answer takes 200 ms: room for the test to kill the eval while a question is in flight.
  server = await startFakeLlmServer({ script: script(), apiKey: KEY, latencyMs: 200 });
  setUp();
});

afterAll(async () => {
  await server.close();
});

const env = { EVAL_TEST_KEY: KEY };
const args = (out: string) => ['eval', 'tasks', '--policies', 'default,all-top', '--repeat', '2', '-o', out];

/** The eval run a request belongs to, by the worktree its prompt names (`The workspace is DIR/w/<hash>.`). */
function worktreeOf(body: unknown): string | undefined {
  return /The workspace is (\/\S+?\/w\/[0-9a-f]{6})\./.exec(JSON.stringify(body))?.[1];
}

function recordedWorktrees(out: string): Set<string> {
  const runs = join(out, 'runs');
  if (!existsSync(runs)) return new Set();
  return new Set(
    readdirSync(runs)
      .filter((name) => name.endsWith('.json'))
      .map((name) => (JSON.parse(readFileSync(join(runs, name), 'utf8')) as { worktree: string }).worktree),
  );
}

describe('phasewise eval', () => {
  it('refuses to start above --max-cost without --yes when not on a terminal', () => {
    const result = cli([...args(join(root, 'refused')), '--max-cost', '0.01'], { cwd: root, env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/may cost up to \$[\d.]+, above --max-cost \(\$0\.01\)/);
    expect(result.stderr).toContain('--yes');
    expect(server.requests).toHaveLength(0);
  });

  it.runIf(existsSync('/usr/bin/script'))(
    'asks on a terminal, and an answer other than yes starts nothing',
    () => {
      const command = [process.execPath, binPath, ...args(join(root, 'asked')), '--max-cost', '0.01']
        .map((word) => `'${word}'`)
        .join(' ');
      // `script` gives the CLI a terminal; the answer comes through it.
      const result = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], {
        cwd: root,
        input: 'n\n',
        encoding: 'utf8',
        env: { ...process.env, ...env, NO_COLOR: '1', PHASEWISE_INVOKED_AS: 'phasewise' },
      });
      expect(result.stdout).toMatch(/above --max-cost \(\$0\.01\)\. Go on\? \[y\/N\]/);
      expect(result.stdout).toContain('eval not started');
      expect(result.status).toBe(2);
      expect(server.requests).toHaveLength(0);
    },
  );

  it('is killed in the middle, resumes without re-running a finished run, and writes its tables', async () => {
    const out = join(root, 'out');
    const running = startCli(args(out), { cwd: root, env });
    // Killed once five runs are recorded and the next one is asking its second question: its first answer is in
    // its journal, the second is in flight.
    let interrupted: string | undefined;
    const watch = setInterval(() => {
      const recorded = recordedWorktrees(out);
      if (recorded.size < 5) return;
      const asking = server.requests.find(
        (request) => request.turn === 2 && !recorded.has(worktreeOf(request.body) ?? ''),
      );
      if (asking === undefined) return;
      clearInterval(watch);
      interrupted = worktreeOf(asking.body);
      running.child.kill('SIGKILL');
    }, 5);
    const killed = await running.done;
    clearInterval(watch);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const before = recordedWorktrees(out);
    expect(before.size).toBeGreaterThanOrEqual(5);
    expect(before.size).toBeLessThan(12);
    expect(interrupted).toBeDefined();
    expect(before.has(interrupted!)).toBe(false);
    const requestsBefore = server.requests.length;

    const resumed = await startCli(args(out), { cwd: root, env }).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/\[1\/12\] task-a · default · repeat 1: .*not run again/);
    const after = server.requests.slice(requestsBefore);
    const rerun = after
      .map((request) => worktreeOf(request.body))
      .filter((path) => path === undefined || before.has(path));
    expect(rerun).toEqual([]);
    // Two calls per run (a write, then the report); one call cut off by the kill may be made again.
    expect(after.length).toBeLessThanOrEqual((12 - before.size) * 2 + 1);
    expect(server.requests.length).toBeLessThanOrEqual(24 + 1);
    expect(server.unexpected).toEqual([]);
    // The interrupted run was resumed through its journal: its first answer was not asked for again.
    expect(resumed.stderr).toMatch(/: resuming run \S+/);
    const resumedTurns = after
      .filter((request) => worktreeOf(request.body) === interrupted)
      .map((request) => request.turn);
    expect(resumedTurns).toEqual([2]);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.runs).toHaveLength(12);
    const table = JSON.parse(readFileSync(join(out, 'outcome-table.json'), 'utf8'));
    expect(table.source.length).toBeGreaterThan(0);
    expect(table.models).toEqual([{ id: 'fake:claude-sonnet-4-5', tier_rank: 1, tier: 'large' }]);
    expect(table.tasks.map((task: { id: string }) => task.id)).toEqual(['task-a', 'task-b', 'task-c']);
    const resolved = table.tasks.map(
      (task: { results: Record<string, { resolved: boolean }> }) =>
        task.results['fake:claude-sonnet-4-5']!.resolved,
    );
    expect(resolved).toEqual([true, false, true]);
    for (const task of table.tasks) {
      expect(task.results['fake:claude-sonnet-4-5'].cost_usd).toBeGreaterThan(0);
    }

    // A passes gate and check; B passes the gate but not the check; C fails the gate (its own bad test) but not the check.
    const accuracy = JSON.parse(readFileSync(join(out, 'gate-accuracy.json'), 'utf8'));
    expect(accuracy.version).toBe(1);
    expect(accuracy.overall).toEqual({
      false_pass_rate: 1,
      false_fail_rate: 0.5,
      hidden_failed: 4,
      false_passes: 4,
      hidden_passed: 8,
      false_fails: 4,
    });
    expect(accuracy.roles.implementation).toEqual(accuracy.overall);
    expect(accuracy.check_kinds.sections).toMatchObject({ false_passes: 4, false_fails: 0 });
    expect(accuracy.check_kinds.command).toMatchObject({ false_passes: 4, false_fails: 4 });

    expect(resumed.stdout).toMatch(/^default +6 +4 \(67 %\) +30 % – 90 %/m);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '| all-top | 6 | 4 (67 %) | 30 % – 90 % |',
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<td>all-top</td>');

    // What the eval measured feeds the simulation: its outcome table, and its gate accuracy as the verifier.
    const model = 'fake:claude-sonnet-4-5';
    const simulated = cli(
      [
        'policy',
        'simulate',
        '--outcomes',
        join(out, 'outcome-table.json'),
        '--map',
        `small=${model},large=${model}`,
        '--gate-from',
        out,
        '--json',
      ],
      { cwd: root, env },
    );
    expect(simulated.code, simulated.stderr).toBe(0);
    const simulation = JSON.parse(simulated.stdout);
    expect(simulation.tasks).toBe(3);
    expect(simulation.verifier).toMatchObject({ falsePassRate: 1, falseFailRate: 0.5 });
    const allTop = simulation.policies.find((policy: { id: string }) => policy.id === 'all-top');
    // One attempt per task: A and C solved, each accepted half the time (false-fail 0.5); B unsolved, always
    // accepted (false-pass 1): 1 task solved and 1 shipped wrong, in expectation.
    expect(allTop.tasksSolved.value).toBe(1);
    expect(allTop.wrongShipped.value).toBe(1);
    const meanCosts = table.tasks.map(
      (task: { results: Record<string, { cost_usd: number }> }) => task.results[model]!.cost_usd,
    );
    expect(allTop.totalCostUsd.value).toBeCloseTo(
      meanCosts.reduce((sum: number, cost: number) => sum + cost, 0),
      6,
    );
  }, 180_000);

  it('refuses a folder that holds another eval, before spending anything', () => {
    const requests = server.requests.length;
    const result = cli(
      ['eval', 'tasks', '--policies', 'default,all-top', '--repeat', '3', '-o', join(root, 'out')],
      {
        cwd: root,
        env,
      },
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/out holds another eval \(.*tasks, policies default,all-top, --repeat 2\)/);
    expect(result.stderr).toContain('give another folder with -o');
    expect(server.requests.length).toBe(requests);
  });
});
