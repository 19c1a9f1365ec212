/**
 * The crash suite: SIGKILL a five-phase run — the built CLI as a subprocess, its phases talking to the fake LLM
 * server over HTTP with slow streams, running commands and a gate with a slow command check — at random points
 * (a seeded PRNG: the seed is printed, `CRASH_SEED=<seed>` replays it, `CRASH_ONLY=<i>` one point), then resume
 * to completion. After every kill: the journal opens and reads; no process the run started survives it. After
 * every recovery: the run succeeded with the steps and cost of an uninterrupted run; no model call recorded
 * before a kill was requested again; every step the kill left unfinished was recorded as re-executed, and no
 * other step was; a side effect that happened twice belongs to a step recorded as re-executed.
 * Quick tier: 100 kill points; `RELIABILITY_TIER=soak`: 1,000.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer } from '../../src/testing/index.js';
import { type CliResult, startCli } from '../support/cli.js';
import {
  CRASH_API_KEY,
  CRASH_KEY_ENV,
  crashScript,
  effectLines,
  type JournalView,
  LATE_FILE,
  lateWrites,
  MARKER_ENV,
  makeCrashSuiteWorkspace,
  privateCli,
  prng,
  readJournal,
  survivorsAfter,
  watchSpawns,
} from './crash-harness.js';

const soak = process.env.RELIABILITY_TIER === 'soak';
const KILL_POINTS = Number(process.env.CRASH_POINTS ?? (soak ? 1_000 : 100));
/** Kill points in flight at once: they mostly wait on streams and sleeps, not on the CPU. */
const PARALLEL = Number(process.env.CRASH_PARALLEL ?? (soak ? 6 : 6));
const STREAM_DELAY_MS = 8;
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const only = process.env.CRASH_ONLY === undefined ? undefined : Number(process.env.CRASH_ONLY);

interface KillPlan {
  index: number;
  /**
   * Kill `atMs` after the start, `jitterMs` after the `afterLine`-th event line, or the instant the
   * `atSpawn`-th command's supervisor appears (the window between spawn and the supervisor, issue 13).
   */
  kill: { atMs: number } | { afterLine: number; jitterMs: number } | { atSpawn: number };
  /** Also kill the first resume, this long after it starts. */
  resumeKillMs: number | undefined;
}

interface ReferenceEvent {
  type: string;
  tool?: string;
}

interface Reference {
  durationMs: number;
  events: ReferenceEvent[];
  keys: string[];
  costUsd: number;
  paid: Map<string, string>;
}

interface Outcome {
  failures: string[];
  killed: number;
  resumed: number;
  reexecuted: number;
  repeatedPaid: number;
  orphans: number;
  landed: string;
  /** Commands the CLI started, over all segments. */
  commands: number;
  /** Kills sent before the supervisor had started its command. */
  inSpawnWindow: number;
  /** The daemonizing command's file appeared after a kill. */
  lateWrites: number;
}

let reference: Reference;
let cli: { bin: string; remove(): void };
const outcomes: Outcome[] = [];
let chosenPlans: KillPlan[] = [];
const plannedAtSpawn = () => chosenPlans.filter((plan) => 'atSpawn' in plan.kill).length;

/** Event lines (1-based) of the uninterrupted run that start where a kill should land, by target. */
function targets(): Record<'stream' | 'command' | 'gate', number[]> {
  const lineOf = (predicate: (event: ReferenceEvent) => boolean) =>
    reference.events.flatMap((event, index) => (predicate(event) ? [index + 1] : []));
  const lastModelEnd = Math.max(...lineOf((event) => event.type === 'model-call-end'));
  return {
    stream: lineOf((event) => event.type === 'model-call-start'),
    command: lineOf((event) => event.type === 'tool-call' && event.tool === 'run_command'),
    // Verification's last answer is followed by its report, then its gate with the slow command check.
    gate: [lastModelEnd],
  };
}

function plans(count: number): KillPlan[] {
  const random = prng(seed);
  const lines = targets();
  const pick = (from: number[]) => from[Math.floor(random() * from.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const draw = random();
    // One in ten: the instant a command is spawned (four commands: three run_command and the gate's check).
    if (random() < 0.1)
      return { index, kill: { atSpawn: Math.floor(random() * 4) }, resumeKillMs: undefined };
    const kill =
      draw < 0.25
        ? { atMs: Math.floor(random() * reference.durationMs * 0.95) }
        : draw < 0.4
          ? {
              afterLine: 1 + Math.floor(random() * (reference.events.length - 1)),
              jitterMs: Math.floor(random() * 20),
            }
          : draw < 0.65
            ? { afterLine: pick(lines.stream), jitterMs: Math.floor(random() * 120) }
            : draw < 0.85
              ? { afterLine: pick(lines.command), jitterMs: Math.floor(random() * 380) }
              : { afterLine: pick(lines.gate), jitterMs: 20 + Math.floor(random() * 420) };
    const resumeKillMs = random() < 0.15 ? Math.floor(random() * reference.durationMs * 0.8) : undefined;
    return { index, kill, resumeKillMs };
  });
}

/**
 * Prompt caching off: a call cut off mid-stream has already written the cache its re-execution then reads, so
 * with caching a recovered run costs a little less than an uninterrupted one, and costs could not be compared.
 */
const serverOptions = () => ({
  script: crashScript(STREAM_DELAY_MS),
  apiKey: CRASH_API_KEY,
  cacheMinTokens: Number.MAX_SAFE_INTEGER,
});
const env = (marker: string) => ({ [CRASH_KEY_ENV]: CRASH_API_KEY, [MARKER_ENV]: marker });
const modelKeyOf = (request: { conversation?: string; turn?: number }) =>
  `${request.conversation}/a1/t${request.turn}/model`;

/** Starts the CLI and SIGKILLs it as planned (never, when `kill` is undefined). */
function runSegment(
  args: string[],
  workspace: string,
  marker: string,
  kill: KillPlan['kill'] | undefined,
  outcome?: Outcome,
): Promise<CliResult> {
  const running = startCli(args, { cwd: workspace, env: env(marker), bin: cli.bin });
  const killNow = () => running.child.kill('SIGKILL');
  const spawns = watchSpawns(running.child.pid ?? -1, (ordinal, beforeCommand) => {
    if (kill === undefined || !('atSpawn' in kill) || ordinal !== kill.atSpawn) return;
    killNow();
    if (outcome !== undefined && beforeCommand) outcome.inSpawnWindow += 1;
  });
  void running.done.then(() => {
    spawns.stop();
    if (outcome !== undefined) outcome.commands += spawns.started();
  });
  if (kill !== undefined && 'atMs' in kill) setTimeout(killNow, kill.atMs);
  if (kill !== undefined && 'afterLine' in kill) {
    if (kill.afterLine === 0) setTimeout(killNow, kill.jitterMs);
    running.onLine((_line, index) => {
      if (index === kill.afterLine) setTimeout(killNow, kill.jitterMs);
    });
  }
  return running.done;
}

/** Where a kill landed, from what the journal says was unfinished. */
function landing(view: JournalView, effects: number): string {
  if (view.runId === undefined) return 'before the run';
  const kinds = view.unfinished.map(({ key, kind }) => {
    if (kind === 'tool' && key.startsWith('verification/a1/t1/'))
      return effects > 0 ? 'after a side effect' : 'in a command';
    if (kind === 'tool' && key.startsWith('verification/a1/t2/')) return 'in a command';
    if (kind === 'tool') return 'in a file tool';
    return kind === 'model' ? 'mid-stream' : kind === 'gate' ? 'in a gate' : `in the ${kind} step`;
  });
  return kinds[0] ?? 'between steps';
}

async function crashAndRecover(plan: KillPlan): Promise<Outcome> {
  const server = await startFakeLlmServer(serverOptions());
  const workspace = makeCrashSuiteWorkspace(server.anthropicBaseUrl);
  const marker = `${seed}-${plan.index}-${process.pid}`;
  const where = `kill point ${plan.index} (seed ${seed}, ${JSON.stringify(plan.kill)}, resume kill ${plan.resumeKillMs ?? 'none'})`;
  const outcome: Outcome = {
    failures: [],
    killed: 0,
    resumed: 0,
    reexecuted: 0,
    repeatedPaid: 0,
    orphans: 0,
    landed: 'not killed',
    commands: 0,
    inSpawnWindow: 0,
    lateWrites: 0,
  };
  const fail = (message: string) => outcome.failures.push(`${where}: ${message}`);
  try {
    const unfinished = new Set<string>();
    let view = await readJournal(workspace);
    for (let segment = 0; segment < 4; segment++) {
      const kill =
        segment === 0
          ? plan.kill
          : segment === 1 && plan.resumeKillMs !== undefined
            ? { atMs: plan.resumeKillMs }
            : undefined;
      const recordedBefore = view.modelKeys;
      const requestsBefore = server.requests.length;
      const args = view.runId === undefined ? ['run', '--json'] : ['resume', view.runId, '--json'];
      const result = await runSegment(args, workspace, marker, kill, outcome);
      const orphans = await survivorsAfter(marker, 3_000);
      if (orphans.length > 0)
        fail(`processes outlived phasewise (segment ${segment}): ${orphans.join(', ')}`);
      outcome.orphans += orphans.length;
      const repeated = server.requests
        .slice(requestsBefore)
        .map(modelKeyOf)
        .filter((key) => recordedBefore.has(key));
      if (repeated.length > 0) fail(`paid model calls made again: ${repeated.join(', ')}`);
      outcome.repeatedPaid += repeated.length;
      try {
        view = await readJournal(workspace);
      } catch (error) {
        fail(`the journal could not be read after segment ${segment}: ${(error as Error).message}`);
        return outcome;
      }
      if (result.signal === 'SIGKILL') {
        if (plan.index % 10 === 0) await checkStatus(workspace, view, 'unfinishedSteps', fail);
        outcome.killed += 1;
        if (segment === 0) outcome.landed = landing(view, effectLines(workspace));
        for (const { key } of view.unfinished) unfinished.add(key);
        continue;
      }
      if (result.code !== 0) {
        fail(`segment ${segment} (${args.join(' ')}) exited ${result.code}: ${result.stderr.slice(-800)}`);
        return outcome;
      }
      if (args[0] === 'resume') outcome.resumed += 1;
      break;
    }
    checkFinal(view, unfinished, workspace, fail);
    // The daemonizing command writes 1 s after it starts: a daemon that outlived any segment has written by now.
    if (lateWrites(workspace)) {
      outcome.lateWrites += 1;
      fail(`a daemonized command outlived the run and wrote ${LATE_FILE} into the workspace`);
    }
    if (plan.index % 10 === 0) await checkStatus(workspace, view, 'reexecutedSteps', fail);
    outcome.reexecuted = view.reexecuted.size;
    if (server.unexpected.length > 0)
      fail(`the fake server had no answer for: ${server.unexpected.join('; ')}`);
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  return outcome;
}

/** `phasewise status --json` shows what the journal says a crash cut off, and what was executed again. */
async function checkStatus(
  workspace: string,
  view: JournalView,
  field: 'unfinishedSteps' | 'reexecutedSteps',
  fail: (message: string) => void,
) {
  if (view.runId === undefined) return;
  const status = await startCli(['status', view.runId, '--json'], { cwd: workspace, bin: cli.bin }).done;
  const shown: string[] = status.code === 0 ? JSON.parse(status.stdout)[field] : [];
  const expected = field === 'unfinishedSteps' ? view.unfinished.map(({ key }) => key) : [...view.reexecuted];
  if (status.code !== 0 || JSON.stringify([...shown].sort()) !== JSON.stringify(expected.sort())) {
    fail(
      `status shows ${field} ${JSON.stringify(shown)} (exit ${status.code}), the journal ${JSON.stringify(expected)}`,
    );
  }
}

function checkFinal(
  view: JournalView,
  unfinished: Set<string>,
  workspace: string,
  fail: (m: string) => void,
) {
  if (view.status !== 'succeeded') fail(`the run ended ${view.status}`);
  if (JSON.stringify([...view.keys].sort()) !== JSON.stringify(reference.keys)) {
    fail(`steps differ from an uninterrupted run: ${JSON.stringify(view.keys)}`);
  }
  // A tool re-executed after its effect happened reports the world as it finds it (`write` says "overwrote"
  // where it first said "created"), so the prompts after it, and their cost, may differ by a few tokens.
  const toolReexecuted = [...view.reexecuted].some((key) => key.includes('/tool/'));
  const drift = Math.abs(view.costUsd - reference.costUsd) / reference.costUsd;
  if (view.costUsd !== reference.costUsd && !(toolReexecuted && drift < 0.005)) {
    const differing = [...view.paid].filter(([key, paid]) => reference.paid.get(key) !== paid);
    const detail = differing.map(
      ([key, paid]) => `${key}: ${paid} (uninterrupted: ${reference.paid.get(key)})`,
    );
    fail(`cost ${view.costUsd}, uninterrupted ${reference.costUsd}: ${detail.join('; ')}`);
  }
  if (view.unfinished.length > 0) fail(`steps left unfinished: ${JSON.stringify(view.unfinished)}`);
  const expected = [...unfinished].filter((key) => view.keys.includes(key)).sort();
  if (JSON.stringify([...view.reexecuted].sort()) !== JSON.stringify(expected)) {
    fail(
      `re-executed ${JSON.stringify([...view.reexecuted])}, but the kills cut off ${JSON.stringify([...unfinished])}`,
    );
  }
  const effectKey = view.keys.find((key) => key.startsWith('verification/a1/t1/tool/'));
  const effects = effectLines(workspace);
  if (effects < 1 || (effects > 1 && (effectKey === undefined || !view.reexecuted.has(effectKey)))) {
    fail(
      `the side effect happened ${effects} times, its step ${effectKey} re-executed: ${view.reexecuted.has(effectKey ?? '')}`,
    );
  }
}

/** Runs `work` over `items` with at most `parallel` in flight. */
async function pool<T, R>(items: T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

beforeAll(async () => {
  cli = await privateCli();
  const server = await startFakeLlmServer(serverOptions());
  const workspace = makeCrashSuiteWorkspace(server.anthropicBaseUrl);
  try {
    const started = performance.now();
    const result = await runSegment(
      ['run', '--json'],
      workspace,
      `${seed}-reference-${process.pid}`,
      undefined,
    );
    expect(result.code, result.stderr).toBe(0);
    server.assertAllUsed();
    const view = await readJournal(workspace);
    expect(view.status).toBe('succeeded');
    expect(view.reexecuted.size).toBe(0);
    expect(effectLines(workspace)).toBe(1);
    reference = {
      durationMs: performance.now() - started,
      events: result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ReferenceEvent),
      keys: [...view.keys].sort(),
      costUsd: view.costUsd,
      paid: view.paid,
    };
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}, 60_000);

afterAll(() => {
  cli?.remove();
  const sum = (pick: (outcome: Outcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  const landed = new Map<string, number>();
  for (const { landed: where } of outcomes) landed.set(where, (landed.get(where) ?? 0) + 1);
  const breakdown = [...landed].map(([where, count]) => `${count} ${where}`).join(', ');
  console.log(
    `reliability: crash: ${sum((o) => o.killed)} kill points (seed ${seed}), ${sum((o) => o.resumed)} resumed, ` +
      `${sum((o) => o.reexecuted)} in-flight re-executions recorded, ${sum((o) => o.repeatedPaid)} repeated paid steps, ` +
      `${sum((o) => o.orphans)} orphans (landed: ${breakdown}); ${sum((o) => o.commands)} commands started, ` +
      `${plannedAtSpawn()} kills aimed at a spawn, ${sum((o) => o.inSpawnWindow)} landed in the spawn window ` +
      `(before the supervisor started its command), ${sum((o) => o.orphans + o.lateWrites)} commands outlived phasewise`,
  );
});

describe('SIGKILL a five-phase run at random points, then resume', () => {
  it(
    `recovers from ${only === undefined ? KILL_POINTS : 1} kill point(s) without paying twice or leaving a process behind`,
    async () => {
      const all = plans(Math.max(KILL_POINTS, (only ?? 0) + 1));
      const chosen = only === undefined ? all.slice(0, KILL_POINTS) : [all[only]!];
      chosenPlans = chosen;
      outcomes.push(...(await pool(chosen, PARALLEL, crashAndRecover)));
      const failures = outcomes.flatMap((outcome) => outcome.failures);
      expect(failures).toEqual([]);
      if (only !== undefined || KILL_POINTS < 100) return;
      // The kills really landed where the suite claims to test: mid-stream, in commands, in a gate, between.
      const landedAt = (where: string) => outcomes.filter((outcome) => outcome.landed === where).length;
      const minimum = soak ? 10 : 2;
      expect(
        landedAt('between steps') + landedAt('before the run'),
        'kills between steps',
      ).toBeGreaterThanOrEqual(1);
      for (const where of ['mid-stream', 'in a command', 'in a gate']) {
        expect(landedAt(where), `kills that landed ${where}`).toBeGreaterThanOrEqual(minimum);
      }
      expect(
        landedAt('after a side effect'),
        'kills between a side effect and its record',
      ).toBeGreaterThanOrEqual(1);
      expect(outcomes.reduce((total, o) => total + o.killed, 0)).toBeGreaterThanOrEqual(KILL_POINTS * 0.95);
      // Issue 13: some kills landed between a command's spawn and its supervisor starting it.
      expect(
        outcomes.reduce((total, o) => total + o.inSpawnWindow, 0),
        'kills in the spawn window',
      ).toBeGreaterThanOrEqual(1);
    },
    soak ? 3_600_000 : 600_000,
  );
});
