/**
 * Concurrency, with the built CLI as real subprocesses: two processes resuming the same interrupted run —
 * exactly one proceeds, the other is refused naming the winner, with a non-zero exit; and many five-phase runs
 * at once, in one workspace (one journal file shared by every process) and across workspaces — every run
 * succeeds with the steps and cost of a run made alone, and no process meets SQLITE_BUSY. The journal-level
 * lock race (many rounds between two processes) is in test/journal/sqlite-lock-race.test.ts.
 * Quick tier: 50 + 50 runs and 4 resume races; `RELIABILITY_TIER=soak`: 100 + 100 and 20.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import type { CliResult } from '../support/cli.js';
import { startCli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';
import { privateCli } from './crash-harness.js';

const soak = process.env.RELIABILITY_TIER === 'soak';
const RUNS = soak ? 100 : 50;
const RACES = soak ? 20 : 4;
const LATENCY_MS = 20;

interface RunShape {
  status: string;
  keys: string;
  costUsd: number;
}

let cli: { bin: string; remove(): void };
let reference: RunShape;
const figures = {
  races: 0,
  breakLocks: 0,
  oneWorkspace: 0,
  acrossWorkspaces: 0,
  busy: 0,
  seconds: [] as string[],
};
const workspaces: string[] = [];

function workspace(latencyMs = LATENCY_MS): string {
  const made = makeCrashWorkspace(latencyMs);
  workspaces.push(made);
  return made;
}

/**
 * A workspace the five phases only read: runs sharing one working tree would otherwise see each other's files
 * (implementation's write would count against research's "nothing changed" veto), which is not what this tests.
 */
function readOnlyWorkspace(): string {
  const dir = workspace();
  const scriptFile = join(dir, 'script.yaml');
  const script = readFileSync(scriptFile, 'utf8').replaceAll(
    /"name": "write",\s*"input": \{[^}]*?"content": "[^"]*"\s*\}/g,
    '"name": "list", "input": { "path": "." }',
  );
  expect(script).not.toContain('"write"');
  writeFileSync(scriptFile, script);
  const configFile = join(dir, 'phasewise.yaml');
  const config = readFileSync(configFile, 'utf8').replace(
    /implementation: \{[^\n]*\}/,
    'implementation: { model: large, cost_limit: $0.20, dependencies: planning, quality_gate: { threshold: 0.88, checks: [{ kind: sections }, { kind: cost, required: true }] } }',
  );
  expect(config).toContain('checks: [{ kind: sections }');
  writeFileSync(configFile, config);
  return dir;
}

const run = (args: string[], cwd: string) => startCli(args, { cwd, bin: cli.bin });

/** Every run in the workspace's journal, in the shape compared with a run made alone. */
async function runsIn(dir: string): Promise<RunShape[]> {
  const journal = openJournal({ workspace: dir });
  try {
    return await Promise.all(
      (await journal.listRuns()).map(async (record) => ({
        status: record.status,
        keys: (await journal.listSteps(record.runId))
          .map((step) => step.key)
          .sort()
          .join(' '),
        costUsd: Number(record.costUsd.toFixed(10)),
      })),
    );
  } finally {
    await journal.close();
  }
}

/** What the runs that did not exit 0 said, with the end of their event stream. */
function failed(results: CliResult[]): string[] {
  return results
    .filter((result) => result.code !== 0)
    .map(
      (result) =>
        `exit ${result.code}: ${result.stderr.trim()}\n${result.stdout.trim().split('\n').slice(-4).join('\n')}`,
    );
}

function busy(result: CliResult): boolean {
  return /SQLITE_BUSY|database is locked/i.test(result.stderr + result.stdout);
}

beforeAll(async () => {
  cli = await privateCli();
  const dir = workspace();
  const result = await run(['run', '--json'], dir).done;
  expect(result.code, result.stderr).toBe(0);
  [reference] = (await runsIn(dir)) as [RunShape];
  expect(reference.status).toBe('succeeded');
}, 120_000);

afterAll(() => {
  cli?.remove();
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
  console.log(
    `reliability: concurrency: ${figures.races} resume races (exactly 1 proceeded, 1 refused each), ` +
      `${figures.breakLocks} --break-lock against a live holder refused, ` +
      `${figures.oneWorkspace} runs at once in one workspace, ${figures.acrossWorkspaces} across workspaces, ` +
      `all consistent, ${figures.busy} SQLITE_BUSY (${figures.seconds.join(', ')})`,
  );
});

/** An interrupted run: started, then SIGKILLed once it has made its first model call. */
async function interruptedRun(): Promise<{ dir: string; runId: string }> {
  const dir = workspace(150);
  const running = run(['run', '--json'], dir);
  running.onLine((_line, index) => {
    if (index === 5) running.child.kill('SIGKILL');
  });
  const killed = await running.done;
  expect(killed.signal).toBe('SIGKILL');
  const journal = openJournal({ workspace: dir });
  const runId = (await journal.listRuns())[0]!.runId;
  await journal.close();
  return { dir, runId };
}

describe('two processes resuming the same run', () => {
  it('lets exactly one proceed; the other is refused, naming it, with exit 2', async () => {
    const races = await Promise.all(
      Array.from({ length: RACES }, async () => {
        const { dir, runId } = await interruptedRun();
        const contenders = [run(['resume', runId], dir), run(['resume', runId], dir)];
        const results = await Promise.all(contenders.map((contender) => contender.done));
        return { dir, runId, results, pids: contenders.map((contender) => contender.child.pid) };
      }),
    );
    for (const { dir, runId, results, pids } of races) {
      const winners = results.filter((result) => result.code === 0);
      expect(winners, results.map((result) => result.stderr).join('\n')).toHaveLength(1);
      const loser = results.find((result) => result.code !== 0)!;
      const winnerPid = pids[results.indexOf(winners[0]!)];
      expect(loser.code).toBe(2);
      expect(loser.stderr).toContain(
        `run ${runId} is being executed by another process (pid ${winnerPid} on `,
      );
      expect(loser.stderr).toContain('--break-lock');
      expect(await runsIn(dir)).toEqual([reference]);
      figures.races += 1;
    }
  }, 120_000);
});

describe('--break-lock against a live holder on this host', () => {
  it('is refused (exit 2): the holder finishes the run alone, no step executed twice', async () => {
    const dir = workspace(150);
    const holder = run(['run', '--json'], dir);
    const taker = new Promise<CliResult>((resolve) => {
      holder.onLine((line, index) => {
        if (index !== 4) return;
        const { runId } = JSON.parse(line) as { runId: string };
        resolve(run(['resume', runId, '--break-lock'], dir).done);
      });
    });
    const [held, took] = await Promise.all([holder.done, taker]);
    expect(took.code, took.stderr).toBe(2);
    expect(took.stderr).toContain(`is being executed by another process (pid ${holder.child.pid} on `);
    expect(took.stderr).toContain('--break-lock never takes a run from a live process');
    expect(held.code, held.stderr).toBe(0);
    expect(await runsIn(dir)).toEqual([reference]);
    figures.breakLocks += 1;
  }, 120_000);
});

describe('many runs at once', () => {
  it(`${RUNS} runs in one workspace share its journal: all succeed, each as if alone, none meets SQLITE_BUSY`, async () => {
    const alone = readOnlyWorkspace();
    // Without the phase cache: a run that found another's stored phases would not run as if alone.
    const single = await run(['run', '--json', '--no-reuse'], alone).done;
    expect(single.code, single.stderr).toBe(0);
    const [readOnlyReference] = await runsIn(alone);
    expect(readOnlyReference?.status).toBe('succeeded');
    const dir = readOnlyWorkspace();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: RUNS }, () => run(['run', '--json', '--no-reuse'], dir).done),
    );
    figures.seconds.push(
      `${RUNS} in one workspace in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    figures.busy += results.filter(busy).length;
    expect(failed(results)).toEqual([]);
    const runs = await runsIn(dir);
    expect(runs).toHaveLength(RUNS);
    for (const shape of runs) expect(shape).toEqual(readOnlyReference);
    figures.oneWorkspace = runs.length;
  }, 300_000);

  it(`${RUNS} runs in ${RUNS} workspaces: all succeed, each as if alone, none meets SQLITE_BUSY`, async () => {
    const dirs = Array.from({ length: RUNS }, () => workspace());
    const started = performance.now();
    const results = await Promise.all(dirs.map((dir) => run(['run', '--json'], dir).done));
    figures.seconds.push(
      `${RUNS} across workspaces in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    figures.busy += results.filter(busy).length;
    expect(failed(results)).toEqual([]);
    for (const dir of dirs) expect(await runsIn(dir)).toEqual([reference]);
    figures.acrossWorkspaces = dirs.length;
  }, 300_000);
});
