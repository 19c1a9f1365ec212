/**
 * What the crash suite needs around one kill point: a five-phase workspace whose phases talk to the fake LLM
 * server (slow streams, so kills land mid-stream), run commands (a side effect followed by a wait, and a plain
 * wait, and one that daemonizes) and a gate with a slow command check; a watch on the commands the CLI spawns; a seeded PRNG; the processes carrying a workspace's marker; and a
 * read of the journal that must always succeed.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../../src/journal/index.js';
import type { FakeLlmScript, FakeTurn } from '../../src/testing/index.js';
import { reportOf } from '../support/crash-workspace.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * A private copy of the built CLI (dist/), taken once: these suites start hundreds of CLI processes over
 * minutes, and a rebuild of dist/ in the meantime (another suite, an editor) must not pull the file away from
 * under them. It lives under node_modules/.cache so that the CLI's own imports still resolve.
 */
export async function privateCli(): Promise<{ bin: string; remove(): void }> {
  const dist = join(root, 'dist');
  const copy = join(root, 'node_modules', '.cache', `phasewise-reliability-${process.pid}-${Date.now()}`);
  const bin = join(copy, 'dist', 'cli', 'bin.js');
  const remove = () => rmSync(copy, { recursive: true, force: true });
  for (let tries = 0; tries < 300; tries++) {
    // A copy taken while dist/ is being rebuilt may be partial: it must answer --help before it is used.
    if (existsSync(join(dist, 'cli', 'bin.js')) && existsSync(join(dist, 'index.js'))) {
      remove();
      mkdirSync(copy, { recursive: true });
      cpSync(dist, join(copy, 'dist'), { recursive: true });
      cpSync(join(root, 'package.json'), join(copy, 'package.json'));
      const help = spawnSync(process.execPath, [bin, 'run', '--help'], { encoding: 'utf8' });
      if (help.status === 0 && help.stdout.includes('Usage')) return { bin, remove };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  remove();
  throw new Error('no usable dist/: run npm run build');
}

export const CRASH_KEY_ENV = 'VENDOR_LOGIN';
export const CRASH_API_KEY = 'crash-suite-login-1';
/** Every process a run starts inherits it (commands keep the environment minus secret-looking names). */
export const MARKER_ENV = 'PHASEWISE_CRASH_MARKER';
/** Verification's first run_command: its side effect (a line in effects.log) comes well before its result is recorded. */
export const EFFECT_COMMAND = 'echo effect >> effects.log; sleep 0.3';
/** Written by a daemon that must never outlive the run that started it (it would write it 1 s later). */
export const LATE_FILE = 'late.log';
/** Verification's third run_command daemonizes (setsid, double fork) and writes into the workspace later. */
export const DAEMON_COMMAND = `(setsid bash -c 'sleep 1; echo late >> ${LATE_FILE}' </dev/null >/dev/null 2>&1 &); echo daemonized`;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });

/** Each phase is recognised by a section heading only its role's system prompt asks for. */
export function crashScript(delayMs: number): FakeLlmScript {
  const slow = (turns: FakeTurn[]) => turns.map((turn) => ({ ...turn, delayMs }));
  return {
    conversations: [
      {
        name: 'research',
        match: ['## File map'],
        turns: slow([call('list', { path: '.' }), { text: reportOf('research') }]),
      },
      { name: 'planning', match: ['## Executive summary'], turns: slow([{ text: reportOf('planning') }]) },
      {
        name: 'implementation',
        match: ['## Changes'],
        turns: slow([
          call('write', { path: 'src/health.js', content: 'export const health = () => ({ ok: true });\n' }),
          { text: reportOf('implementation') },
        ]),
      },
      {
        name: 'review',
        match: ['## Findings'],
        turns: slow([call('read', { path: 'src/health.js' }), { text: reportOf('review') }]),
      },
      {
        name: 'verification',
        match: ['## Checks run'],
        turns: slow([
          call('run_command', { command: EFFECT_COMMAND }),
          call('run_command', { command: 'sleep 0.4; echo checked' }),
          call('run_command', { command: DAEMON_COMMAND }),
          { text: reportOf('verification') },
        ]),
      },
    ],
  };
}

function crashConfig(baseUrl: string): string {
  return `version: 1
task: Add a health endpoint
budget: 2.00
models:
  tiers: [small, large]
  small: vendor:claude-haiku-4-5
  large: vendor:claude-sonnet-4-5
  providers:
    vendor: { kind: anthropic, base_url: "${baseUrl}", api_key_env: ${CRASH_KEY_ENV} }
phases:
  research: { model: small, cost_limit: $0.10, max_quality_gate: 0.80 }
  planning: { model: small, cost_limit: $0.30, quality_threshold: 0.90, dependencies: research }
  implementation: { model: large, cost_limit: $0.40, quality_threshold: 0.88, dependencies: planning }
  review: { model: large, cost_limit: $0.40, quality_threshold: 0.92, dependencies: implementation }
  verification:
    model: small
    cost_limit: $0.30
    dependencies: review
    quality_gate:
      threshold: 0.9
      checks:
        - { kind: sections, weight: 0.5 }
        - { kind: command, name: slow-check, command: "sleep 0.4 && test -f src/health.js", weight: 0.5, required: true }
        - { kind: cost, weight: 0, required: true }
`;
}

export function makeCrashSuiteWorkspace(baseUrl: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-crash-suite-'));
  writeFileSync(join(workspace, 'phasewise.yaml'), crashConfig(baseUrl));
  return workspace;
}

/** Live processes (zombies excluded) whose environment carries `MARKER_ENV=<marker>`. */
export function processesMarked(marker: string): number[] {
  const needle = `${MARKER_ENV}=${marker}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** Waits up to `withinMs` for every marked process to be gone; returns the survivors. */
export async function survivorsAfter(marker: string, withinMs: number): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = processesMarked(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface JournalView {
  runId: string | undefined;
  status: string | undefined;
  costUsd: number;
  /** Each paid step's cost and usage, by key. */
  paid: Map<string, string>;
  /** Recorded step keys, in recording order. */
  keys: string[];
  modelKeys: Set<string>;
  reexecuted: Set<string>;
  unfinished: { key: string; kind: string }[];
}

/** Opens the journal and reads everything: it must be readable after any kill. */
export async function readJournal(workspace: string): Promise<JournalView> {
  const journal = openJournal({ workspace });
  try {
    const run = (await journal.listRuns())[0];
    if (run === undefined) {
      return {
        runId: undefined,
        status: undefined,
        costUsd: 0,
        paid: new Map(),
        keys: [],
        modelKeys: new Set(),
        reexecuted: new Set(),
        unfinished: [],
      };
    }
    const steps = await journal.listSteps(run.runId);
    await journal.listEvents(run.runId);
    await journal.getLockHolder(run.runId);
    return {
      runId: run.runId,
      status: run.status,
      costUsd: Number(run.costUsd.toFixed(10)),
      paid: new Map(
        steps
          .filter((step) => step.costUsd > 0)
          .map((step) => [
            step.key,
            `${step.costUsd} ${JSON.stringify((step.result as { usage?: unknown }).usage)}`,
          ]),
      ),
      keys: steps.map((step) => step.key),
      modelKeys: new Set(steps.filter((step) => step.kind === 'model').map((step) => step.key)),
      reexecuted: new Set(steps.filter((step) => step.reexecuted === true).map((step) => step.key)),
      unfinished: (await journal.listUnfinishedSteps(run.runId)).map(({ key, kind }) => ({ key, kind })),
    };
  } finally {
    await journal.close();
  }
}

export function effectLines(workspace: string): number {
  try {
    return readFileSync(join(workspace, 'effects.log'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

export interface SpawnWatch {
  /** Commands (supervisors) the CLI started while watched. */
  started(): number;
  stop(): void;
}

/**
 * Watches the CLI's children every millisecond (`/proc/<pid>/task/<pid>/children`: one small read) for the
 * command supervisors it spawns (`phasewise-command` in their command line). `onSpawn` gets the supervisor's
 * ordinal and whether it had yet to start the command: a kill sent then lands in the spawn window.
 */
export function watchSpawns(
  pid: number,
  onSpawn: (ordinal: number, beforeCommand: boolean) => void,
): SpawnWatch {
  const seen = new Set<number>();
  const poll = () => {
    for (const child of childrenOf(pid)) {
      if (seen.has(child)) continue;
      let commandLine: string;
      try {
        commandLine = readFileSync(`/proc/${child}/cmdline`, 'latin1');
      } catch {
        continue;
      }
      // setpriv's arguments name it too: a kill then lands before the supervisor has even started.
      if (!commandLine.includes('phasewise-command')) continue;
      seen.add(child);
      onSpawn(seen.size - 1, childrenOf(child).length === 0);
    }
  };
  const timer = setInterval(poll, 1);
  return { started: () => seen.size, stop: () => clearInterval(timer) };
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function lateWrites(workspace: string): boolean {
  return existsSync(join(workspace, LATE_FILE));
}
