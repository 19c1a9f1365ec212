/**
 * SIGKILL at many points of a real five-phase run (a subprocess of the built CLI), then `resume`: every run
 * reaches the same final state as an uninterrupted one, and no model call whose result was recorded before the
 * kill is made again (the scripted provider logs every call it completes, with the pid that made it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { cli, startCli } from '../support/cli.js';
import { loggedCalls, makeCrashWorkspace, modelKey, phaseIds } from '../support/crash-workspace.js';

interface FinalState {
  status: string;
  stepKeys: string[];
  costUsd: number;
  reports: string[];
}

async function finalState(workspace: string): Promise<FinalState> {
  const journal = openJournal({ workspace });
  try {
    const [run] = await journal.listRuns();
    if (run === undefined) throw new Error('no run in the journal');
    return {
      status: run.status,
      stepKeys: (await journal.listSteps(run.runId)).map((step) => step.key).sort(),
      costUsd: Number(run.costUsd.toFixed(10)),
      reports: phaseIds.map((id) =>
        readFileSync(join(workspace, '.phasewise', 'runs', run.runId, id, 'report.md'), 'utf8'),
      ),
    };
  } finally {
    await journal.close();
  }
}

async function recordedModelKeys(
  workspace: string,
): Promise<{ runId: string | undefined; keys: Set<string> }> {
  const journal = openJournal({ workspace });
  try {
    const run = (await journal.listRuns())[0];
    if (run === undefined) return { runId: undefined, keys: new Set() };
    const keys = (await journal.listSteps(run.runId))
      .filter((step) => step.kind === 'model')
      .map((step) => step.key);
    return { runId: run.runId, keys: new Set(keys) };
  } finally {
    await journal.close();
  }
}

/** Starts `args`, kills it with SIGKILL after its `afterLine`-th event line plus `jitterMs`. */
async function killDuring(args: string[], workspace: string, afterLine: number, jitterMs: number) {
  const running = startCli(args, { cwd: workspace });
  if (afterLine === 0) setTimeout(() => running.child.kill('SIGKILL'), jitterMs);
  running.onLine((_line, index) => {
    if (index === afterLine) setTimeout(() => running.child.kill('SIGKILL'), jitterMs);
  });
  return running.done;
}

/**
 * Resumes to completion and checks the two promises: the same final state as an uninterrupted run, and no model
 * call made again whose result was recorded before (`recordedBefore`).
 */
async function resumeWithoutRepeats(workspace: string, runId: string, recordedBefore: Set<string>) {
  const resumed = startCli(['resume', runId, '--json'], { cwd: workspace });
  const result = await resumed.done;
  expect(result.code, result.stderr).toBe(0);
  const repeated = loggedCalls(workspace)
    .filter((call) => call.pid === resumed.child.pid)
    .map(modelKey)
    .filter((key) => recordedBefore.has(key));
  expect(repeated).toEqual([]);
  expect(await finalState(workspace)).toEqual(reference);
}

let reference: FinalState;
let referenceEvents = 0;

beforeAll(async () => {
  const workspace = makeCrashWorkspace();
  const result = cli(['run', '--json'], { cwd: workspace });
  expect(result.code, result.stderr).toBe(0);
  referenceEvents = result.stdout.trim().split('\n').length;
  reference = await finalState(workspace);
  expect(reference.status).toBe('succeeded');
});

/** Kill points spread over the whole run, each with its own delay so kills land mid-call as well as between. */
const points = Array.from({ length: 24 }, (_, index) => ({
  fraction: index / 24,
  jitterMs: (index * 7) % 23,
}));

describe('SIGKILL at any point, then resume', () => {
  it.each(points)(
    'kill at $fraction of the events (+$jitterMs ms) resumes to the same final state',
    async ({ fraction, jitterMs }) => {
      const workspace = makeCrashWorkspace();
      const afterLine = Math.floor(fraction * referenceEvents);
      const killed = await killDuring(['run', '--json'], workspace, afterLine, jitterMs);
      const before = await recordedModelKeys(workspace);
      if (killed.signal !== 'SIGKILL') {
        // The run finished before the kill landed; it must then be complete already.
        expect(killed.code, killed.stderr).toBe(0);
        expect(await finalState(workspace)).toEqual(reference);
        return;
      }
      if (before.runId === undefined) {
        // Killed before the run was created: nothing to resume, and a fresh run is the recovery.
        expect(cli(['run', '--json'], { cwd: workspace }).code).toBe(0);
        expect(await finalState(workspace)).toEqual(reference);
        return;
      }
      const status = cli(['status', before.runId, '--json'], { cwd: workspace });
      expect(status.code, status.stderr).toBe(0);
      const recorded = JSON.parse(status.stdout).status;
      if (recorded === 'succeeded') {
        // The kill landed after the run's verdict was journaled, while the process was on its way out: done.
        expect(await finalState(workspace)).toEqual(reference);
        return;
      }
      expect(recorded).toBe('interrupted');
      await resumeWithoutRepeats(workspace, before.runId, before.keys);
    },
  );

  it('survives being killed twice, during the run and during its resume', async () => {
    const workspace = makeCrashWorkspace();
    await killDuring(['run', '--json'], workspace, Math.floor(referenceEvents / 3), 5);
    const { runId } = await recordedModelKeys(workspace);
    expect(runId).toBeDefined();
    await killDuring(['resume', runId!, '--json'], workspace, Math.floor(referenceEvents / 3), 5);
    await resumeWithoutRepeats(workspace, runId!, (await recordedModelKeys(workspace)).keys);
  });
});

describe('Ctrl-C', () => {
  it('stops cleanly with exit 130, says how to resume, and the resume completes', async () => {
    const workspace = makeCrashWorkspace(200);
    const running = startCli(['run'], { cwd: workspace });
    setTimeout(() => running.child.kill('SIGINT'), 1_500);
    const stopped = await running.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/resume with: phasewise resume (\S+)/);
    const runId = /resume with: phasewise resume (\S+)/.exec(stopped.stderr)![1]!;
    expect(JSON.parse(cli(['status', runId, '--json'], { cwd: workspace }).stdout).status).toBe(
      'interrupted',
    );
    const resumed = cli(['resume', runId], { cwd: workspace });
    expect(resumed.code, resumed.stderr).toBe(0);
  });
});
