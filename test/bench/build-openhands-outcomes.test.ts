/**
 * The recipe behind bench/data/openhands-*.json, run as its own process against a small git repository laid out
 * like the OpenHands Index results repository (results/<model>/{metadata,scores}.json and
 * instance_results/swe-bench.json), read from a checkout and from a bare clone, at two commits.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repositoryRoot = join(import.meta.dirname, '..', '..');
const recipe = join(repositoryRoot, 'bench', 'data', 'build-openhands-outcomes.ts');

function modelFiles(model: string, version: string, instances: Record<string, unknown>) {
  return {
    [`results/${model}/metadata.json`]: {
      agent_name: 'OpenHands',
      agent_version: 'v1.0.0',
      model,
      input_price: 1,
    },
    [`results/${model}/scores.json`]: [
      { benchmark: 'gaia', agent_version: 'v9.9.9', score: 1 },
      { benchmark: 'swe-bench', agent_version: version, score: 50, cost_per_instance: 0.5 },
    ],
    [`results/${model}/instance_results/swe-bench.json`]: instances,
  };
}

const ZETA_SMALL = {
  't-1': { resolved: true, cost: 0.1 },
  't-2': { resolved: false, cost: 0.3 },
  't-10': { resolved: true, cost: 0.2000004 },
  't-3': { resolved: true, cost: 0.2 },
  't-4': { resolved: null, cost: 0.1 },
};

const FIRST = {
  ...modelFiles('zeta-small', 'v1.0.0', ZETA_SMALL),
  ...modelFiles('mid', 'v1.0.0', {
    't-1': { resolved: true, cost: 0.5 },
    't-2': { resolved: true, cost: 0.6 },
    't-10': { resolved: false, cost: 0.7 },
    't-3': { resolved: true, cost: null },
    't-4': { resolved: true, cost: 0.4 },
  }),
  ...modelFiles('alpha-large', 'v1.0.0', {
    't-1': { resolved: true, cost: 1 },
    't-2': { resolved: true, cost: 2 },
    't-10': { resolved: true, cost: 1.5 },
    't-4': { resolved: true, cost: 1 },
  }),
  ...modelFiles('other', 'v2.0.0', { 't-1': { resolved: true, cost: 1 } }),
  'scripts/extract_instance_results.py': 'cost = metrics.get("accumulated_cost")\n',
};

let root: string;
let checkout: string;
let bare: string;
let firstCommit: string;

function writeTree(directory: string, files: Record<string, unknown>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

function git(directory: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd: directory,
    encoding: 'utf8',
  }).trim();
}

function makeRepository(directory: string, files: Record<string, unknown>): string {
  mkdirSync(directory, { recursive: true });
  git(directory, 'init', '-q', '-b', 'main');
  writeTree(directory, files);
  git(directory, 'add', '-A');
  git(directory, 'commit', '-q', '-m', 'results');
  return git(directory, 'rev-parse', 'HEAD');
}

function build(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', recipe, ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { code: result.status, stderr: result.stderr };
}

function buildTable(...args: string[]) {
  const output = join(root, `out-${Math.random().toString(36).slice(2)}`, 'table.json');
  const { code, stderr } = build(...args, '-o', output);
  expect(code, stderr).toBe(0);
  const text = readFileSync(output, 'utf8');
  return { text, table: JSON.parse(text) };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'phasewise-outcomes-'));
  checkout = join(root, 'checkout');
  firstCommit = makeRepository(checkout, FIRST);
  writeTree(checkout, {
    'results/zeta-small/instance_results/swe-bench.json': {
      ...ZETA_SMALL,
      't-1': { resolved: true, cost: 0.15 },
    },
    'scripts/extract_instance_results.py': 'def _normalize_costs_to_target_mean(records): ...\n',
  });
  git(checkout, 'commit', '-q', '-am', 'priced costs');
  bare = join(root, 'bare.git');
  git(root, 'clone', '-q', '--bare', checkout, bare);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('build-openhands-outcomes', () => {
  it('keeps the tasks every model has with a known outcome and cost, cheapest model first', () => {
    const { table } = buildTable(
      '--from',
      checkout,
      '--commit',
      firstCommit,
      '--models',
      'alpha-large,zeta-small,mid',
    );
    expect(
      table.models.map((model: Record<string, unknown>) => [
        model.id,
        model.tier_rank,
        model.mean_cost_usd,
        model.solved,
      ]),
    ).toEqual([
      ['zeta-small', 1, 0.2, 2],
      ['mid', 2, 0.6, 2],
      ['alpha-large', 3, 1.5, 3],
    ]);
    expect(table.tasks).toEqual([
      {
        id: 't-1',
        results: {
          'zeta-small': { resolved: true, cost_usd: 0.1 },
          mid: { resolved: true, cost_usd: 0.5 },
          'alpha-large': { resolved: true, cost_usd: 1 },
        },
      },
      {
        id: 't-10',
        results: {
          'zeta-small': { resolved: true, cost_usd: 0.2 },
          mid: { resolved: false, cost_usd: 0.7 },
          'alpha-large': { resolved: true, cost_usd: 1.5 },
        },
      },
      {
        id: 't-2',
        results: {
          'zeta-small': { resolved: false, cost_usd: 0.3 },
          mid: { resolved: true, cost_usd: 0.6 },
          'alpha-large': { resolved: true, cost_usd: 2 },
        },
      },
    ]);
    expect(table.dropped_tasks).toEqual([
      { id: 't-3', models: { 'alpha-large': 'missing', mid: 'unknown_cost' } },
      { id: 't-4', models: { 'zeta-small': 'unknown_outcome' } },
    ]);
    const source = table.source.join('\n');
    expect(source).toContain(`commit ${firstCommit}`);
    expect(source).toContain('harness: OpenHands v1.0.0 on benchmark swe-bench');
    expect(source).toContain('tasks: 3 of 5');
    expect(source).toMatch(/cost_usd of zeta-small: the LLM cost the harness recorded .* not rescaled/);
  });

  it('reads a bare clone at HEAD, says how each cost was made, and writes the same bytes twice', () => {
    const first = buildTable('--from', bare, '--agent-version', 'v1.0.0');
    const second = buildTable('--from', bare, '--commit', 'main', '--models', 'mid,alpha-large,zeta-small');
    expect(second.text).toBe(first.text);
    const { table } = first;
    expect(table.models.map((model: Record<string, unknown>) => model.id)).toEqual([
      'zeta-small',
      'mid',
      'alpha-large',
    ]);
    expect(table.tasks[0].results['zeta-small']).toEqual({ resolved: true, cost_usd: 0.15 });
    const source = table.source.join('\n');
    expect(source).toMatch(/cost_usd of zeta-small: the recorded token usage .* scaled so the run's mean/);
    expect(source).toMatch(/cost_usd of mid: the LLM cost the harness recorded/);
  });

  it.each([
    [['--from', 'CHECKOUT', '--models', 'zeta-small,other'], /one harness per table: .*other v2\.0\.0/],
    [
      ['--from', 'CHECKOUT', '--models', 'zeta-small,nope'],
      /model nope: no results\/nope\/instance_results\/swe-bench\.json .*models with it: alpha-large, mid, other, zeta-small/,
    ],
    [['--from', 'CHECKOUT', '--agent-version', 'v2.0.0'], /1 model\(s\) at v2\.0\.0 .*at least two/],
    [
      ['--from', 'CHECKOUT', '--commit', 'no-such-commit', '--models', 'mid,zeta-small'],
      /no commit no-such-commit there/,
    ],
    [['--from', 'CHECKOUT'], /name the models \(--models a,b,c\) or the harness version/],
    [['--models', 'mid'], /--from is required/],
    [['--from', 'CHECKOUT', '--models', 'mid,mid'], /a model is named twice/],
  ])('refuses %j with a clear message and exit 2', (args, message) => {
    const { code, stderr } = build(
      ...args.map((arg) => (arg === 'CHECKOUT' ? checkout : arg)),
      '-o',
      join(root, 'x.json'),
    );
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });

  it('refuses a negative cost and a file of another layout, naming the file and the task', () => {
    const broken = join(root, 'broken');
    makeRepository(broken, {
      ...modelFiles('a', 'v1.0.0', { 't-1': { resolved: true, cost: -0.5 } }),
      ...modelFiles('b', 'v1.0.0', { 't-1': { resolved: 'yes', cost: 1 } }),
    });
    const negative = build('--from', broken, '--models', 'a,b', '-o', join(root, 'y.json'));
    expect(negative.stderr).toContain(
      'results/a/instance_results/swe-bench.json: t-1.cost: expected a cost >= 0',
    );
    expect(negative.code).toBe(2);
    const layout = build('--from', broken, '--models', 'b,a', '-o', join(root, 'y.json'));
    expect(layout.stderr).toMatch(/results\/b\/instance_results\/swe-bench\.json: t-1\.resolved: /);
    expect(layout.code).toBe(2);
  });
});
