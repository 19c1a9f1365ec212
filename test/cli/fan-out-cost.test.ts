/**
 * What a fan-out may cost, as a user meets it: `estimate` shows each fanned-out phase's items × one item's range
 * (items known from the task, or known only after the phase they come from), and `run` asks before starting —
 * exit 2 away from a terminal unless `--yes` — when the items take the preview's upper bound over the budget.
 * The built CLI in a subprocess, a scripted provider with a call log, a real git repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { cli } from '../support/cli.js';
import { reportOf } from '../support/crash-workspace.js';

const itemIds = ['lexer', 'parser', 'printer'];

function taskWithItems(ids: readonly string[]): string {
  const items = ids.map((id) => ({
    id,
    title: `The ${id}`,
    files: [`src/${id}.js`],
    depends_on: [],
    acceptance: `src/${id}.js exports ${id}`,
  }));
  return `Build a small calculator.\n\n\`\`\`json\n${JSON.stringify({ work_items: items }, null, 2)}\n\`\`\`\n`;
}

/** Each item's agent writes its own file, then reports. */
function script(): unknown {
  const item = (id: string) => [
    {
      turns: [
        {
          toolCalls: [
            { name: 'write', input: { path: `src/${id}.js`, content: `export const ${id} = 1;\n` } },
          ],
          usage: { input: 2_000, output: 200 },
        },
        { text: reportOf('implementation'), usage: { input: 2_500, output: 600 } },
      ],
    },
  ];
  return { phases: Object.fromEntries(itemIds.map((id) => [`implementation/item-${id}`, item(id)])) };
}

/** A git repository holding the config, the task and the script; `phases` is the YAML under `phases:`. */
function workspace(options: { budget: string; phases: string; task?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'phasewise-fan-out-cost-'));
  writeFileSync(
    join(dir, 'phasewise.yaml'),
    `version: 1
task: ./TASK.md
budget: ${options.budget}
models:
  tiers: [small]
  small: scripted:claude-haiku-4-5
  providers:
    scripted: { kind: scripted, script: ./script.yaml, call_log: ./.phasewise-calls.log }
phases:
${options.phases}`,
  );
  writeFileSync(join(dir, 'TASK.md'), options.task ?? taskWithItems(itemIds));
  writeFileSync(join(dir, 'script.yaml'), JSON.stringify(script(), null, 2));
  writeFileSync(join(dir, '.gitignore'), '.phasewise/\n.phasewise-calls.log\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '-m', 'start');
  return dir;
}

const fromTask = (itemLimit: string) => `  implementation:
    cost_limit: $0.20
    fan_out: { from: task, max_parallel: 2, item_cost_limit: ${itemLimit} }
`;

const fromPlanning = (fanOut: string) => `  planning: { cost_limit: $0.30 }
  implementation:
    cost_limit: $0.20
    depends_on: [planning]
    fan_out: ${fanOut}
`;

/** Model calls the scripted provider answered, one line each. */
function calls(dir: string): number {
  const log = join(dir, '.phasewise-calls.log');
  return existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '').length
    : 0;
}

async function runsIn(dir: string): Promise<number> {
  if (!existsSync(join(dir, '.phasewise', 'journal.db'))) return 0;
  const journal = openJournal({ workspace: dir });
  try {
    return (await journal.listRuns()).length;
  } finally {
    await journal.close();
  }
}

describe('estimate shows the fan-out', () => {
  it("over the task's items: items × one item's range, and the phase limit that still caps it", () => {
    const dir = workspace({ budget: '0.25', phases: fromTask('$0.10') });
    const json = JSON.parse(cli(['estimate', '--json'], { cwd: dir }).stdout);
    const implementation = json.phases[0];
    expect(implementation.fanOut).toMatchObject({
      from: 'task',
      items: 3,
      oneAgent: null,
      maxParallel: 2,
      itemHighUsd: 0.1,
      uncappedHighUsd: 0.3,
    });
    expect(implementation.highUsd).toBe(0.2);
    expect(implementation.upperBoundUsd).toBe(0.3);
    expect(json.highUsd).toBe(0.2);
    expect(json.upperBoundUsd).toBe(0.3);
    // The cheapest is every item answering once; an item's prompt is the phase's with its item block.
    expect(implementation.lowUsd).toBeCloseTo(3 * implementation.fanOut.itemLowUsd, 6);
    const single = workspace({ budget: '0.25', phases: '  implementation: { cost_limit: $0.20 }\n' });
    const alone = JSON.parse(cli(['estimate', '--json'], { cwd: single }).stdout).phases[0];
    expect(alone.fanOut).toBeUndefined();
    expect(implementation.fanOut.itemLowUsd).toBeGreaterThan(alone.lowUsd);

    const text = cli(['estimate'], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /implementation fans out over the task's 3 work items, up to 2 at a time: 3 × \$0\.\d+ – \$0\.10 = up to \$0\.30; its limit, \$0\.20, still caps what it spends/,
    );
    expect(text.stdout).toContain('upper bound before the budget caps it: $0.30, above the budget');
  });

  it("over a planning report's items: known after planning, one item's range from item_cost_limit or an equal share", () => {
    const dir = workspace({
      budget: '1.00',
      phases: fromPlanning('{ from: planning, max_parallel: 3, item_cost_limit: $0.08 }'),
    });
    const json = JSON.parse(cli(['estimate', '--json'], { cwd: dir }).stdout);
    const implementation = json.phases[1];
    expect(implementation.fanOut).toMatchObject({
      from: 'planning',
      items: null,
      maxParallel: 3,
      itemHighUsd: 0.08,
      uncappedHighUsd: null,
    });
    expect(implementation.fanOut.itemLowUsd).toBeGreaterThan(0);
    expect(json.upperBoundUsd).toBe(0.5);
    const text = cli(['estimate'], { cwd: dir }).stdout;
    expect(text).toMatch(
      /implementation fans out over planning's work items \(known after planning\), up to 3 at a time, each \$0\.\d+ – \$0\.08\n/,
    );
    expect(text).not.toContain('upper bound before the budget');

    const shared = workspace({ budget: '1.00', phases: fromPlanning('{ from: planning }') });
    expect(
      JSON.parse(cli(['estimate', '--json'], { cwd: shared }).stdout).phases[1].fanOut.itemHighUsd,
    ).toBeNull();
    expect(cli(['estimate'], { cwd: shared }).stdout).toMatch(/each \$0\.\d+ – an equal share of \$0\.20\n/);
  });

  it('says the phase runs as one agent when the task lists a single item', () => {
    const dir = workspace({ budget: '0.25', phases: fromTask('$0.10'), task: taskWithItems(['lexer']) });
    const json = JSON.parse(cli(['estimate', '--json'], { cwd: dir }).stdout);
    expect(json.phases[0].fanOut).toMatchObject({ items: 1, oneAgent: 'the task lists one work item' });
    expect(json.phases[0].upperBoundUsd).toBe(0.2);
    expect(cli(['estimate'], { cwd: dir }).stdout).toContain(
      'implementation runs as one agent: the task lists one work item',
    );
  });
});

describe('run confirms a fan-out over the budget', () => {
  it('refuses away from a terminal with exit 2 and the way on, having written and spent nothing', () => {
    const dir = workspace({ budget: '0.25', phases: fromTask('$0.10') });
    const result = cli(['run'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('implementation 3 items × up to $0.10');
    expect(result.stderr).toContain('the run may cost up to $0.30, above the run budget ($0.25)');
    expect(result.stderr).toMatch(/hint: pass --yes to run it anyway, or --budget with a higher amount/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(calls(dir)).toBe(0);
    expect(existsSync(join(dir, '.phasewise'))).toBe(false);
  });

  it('runs the fan-out with --yes', async () => {
    const dir = workspace({ budget: '0.25', phases: fromTask('$0.10') });
    const result = cli(['run', '--yes'], { cwd: dir });
    expect(result.stderr).not.toContain('may cost up to');
    expect(result.code, result.stderr).toBe(0);
    expect(calls(dir)).toBe(itemIds.length * 2);
    expect(await runsIn(dir)).toBe(1);
  });

  it('does not ask when the upper bound is within the budget', async () => {
    const dir = workspace({ budget: '0.25', phases: fromTask('$0.10') });
    const result = cli(['run', '--budget', '0.30'], { cwd: dir });
    expect(result.stderr).not.toContain('may cost up to');
    expect(result.code, result.stderr).toBe(0);
    expect(await runsIn(dir)).toBe(1);
  });

  it('does not ask when phase limits alone add up to more than the budget: the budget is the cap chosen', async () => {
    const dir = workspace({
      budget: '0.10',
      phases: '  implementation: { cost_limit: $0.20, fan_out: { from: task, max_parallel: 3 } }\n',
    });
    const result = cli(['run'], { cwd: dir });
    expect(result.stderr).not.toContain('may cost up to');
    expect(result.code, result.stderr).toBe(0);
    expect(await runsIn(dir)).toBe(1);
  });
});
