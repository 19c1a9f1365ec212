/**
 * A run taken over on "another machine": interrupted after a turn whose write ran, then resumed in a fresh clone
 * of the same remote (the first clone deleted, so neither its files nor its commits are there), in-process with a
 * real bare repository as the remote, a real SQLite journal, the real workspace tools and gate command, a scripted
 * model. With shared workspace checkpoints the resume fetches the run's checkpoint from the remote and replays the
 * write without running it again: the file is there and the gate passes on the first attempt. Without them, the
 * same resume finds the file missing, the gate fails and the write is paid for again: the checkpoints are what
 * carry the work across.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateCheckConfig, ResolvedWorkflow } from '../../src/config/types.js';
import { InterruptedError } from '../../src/errors/index.js';
import type { RunWorkflowOptions } from '../../src/orchestrator/run-workflow.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { remoteCheckpoints, requireRepository } from '../../src/worktree/index.js';
import { bareRemoteWithOneCommit } from '../support/bare-remote.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { git } from '../support/fan-out-plan.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const RUN_ID = 'run-shared-1';

const fileWritten: GateCheckConfig = {
  kind: 'command',
  name: 'written',
  weight: 1,
  required: true,
  command: 'test -f alpha.txt',
  timeoutMs: 10_000,
  expectExit: 0,
};

/** A bare remote holding one commit, and a folder for the journal (kept apart from the clones). */
function remoteWithOneCommit(): { remote: string; clone: string; journalDir: string } {
  const { root, remote } = bareRemoteWithOneCommit('phasewise-shared-');
  return { remote, clone: join(root, 'clone'), journalDir: join(root, 'journal') };
}

function script(): ModelScript {
  return {
    phases: {
      implementation: [
        {
          turns: [
            { toolCalls: [{ name: 'write', input: { path: 'alpha.txt', content: 'alpha\n' } }] },
            { text: report('implementation'), delayMs: 60_000 },
          ],
        },
      ],
    },
  };
}

async function checkpointsIn(clone: string) {
  return remoteCheckpoints({
    repository: await requireRepository(clone, 'share checkpoints'),
    remote: 'origin',
    runId: RUN_ID,
    now: () => new Date('2026-12-06T12:00:00Z'),
  });
}

/** Runs until the write has run and the next model call started, then interrupts; then "the machine is lost". */
async function interruptedAfterTheWrite(shared: boolean) {
  const { remote, clone, journalDir } = remoteWithOneCommit();
  git(join(clone, '..'), 'clone', '-q', remote, clone);
  const scripted = script();
  const h = make(testWorkflow({ workspace: journalDir }), scripted);
  const workflow: ResolvedWorkflow = {
    ...h.workflow,
    workspace: clone,
    phases: [
      phase('implementation', {
        gate: {
          ...phase('implementation').gate,
          checks: [...phase('implementation').gate.checks, fileWritten],
        },
        escalation: ['retry', 'halt'],
      }),
    ],
  };
  const controller = new AbortController();
  const common: Partial<RunWorkflowOptions> = {
    workflow,
    tools: createWorkspaceTools(),
    _internal: { generateRunId: () => RUN_ID },
  };
  const first = await h.run({
    ...common,
    ...(shared ? { workspaceCheckpoints: await checkpointsIn(clone) } : {}),
    abortSignal: controller.signal,
    onEvent: (event) => {
      h.events.push(event);
      if (event.type === 'model-call-start' && event.turn === 2) controller.abort(new InterruptedError());
    },
  });
  expect(first.status).toBe('interrupted');
  expect(readFileSync(join(clone, 'alpha.txt'), 'utf8')).toBe('alpha\n');
  // Another machine: a fresh clone of the remote, without the first clone's files or objects.
  rmSync(clone, { recursive: true, force: true });
  git(join(clone, '..'), 'clone', '-q', remote, clone);
  expect(existsSync(join(clone, 'alpha.txt'))).toBe(false);
  // The answer after the write comes at once now.
  for (const turn of scripted.phases.implementation![0]!.turns) delete turn.delayMs;
  h.events.length = 0;
  return { h, common, clone, remote };
}

describe('a run taken over in a fresh clone of its remote', () => {
  it('with shared checkpoints: the replayed write is there and the gate passes once', async () => {
    const { h, common, clone, remote } = await interruptedAfterTheWrite(true);
    const resumed = await h.run({
      ...common,
      workspaceCheckpoints: await checkpointsIn(clone),
      resume: { runId: RUN_ID },
    });
    expect(resumed.status).toBe('succeeded');
    expect(readFileSync(join(clone, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    const writes = h.events.filter((event) => event.type === 'tool-call-end' && event.tool === 'write');
    expect(writes).toEqual([expect.objectContaining({ replayed: true })]);
    const gates = h.events.filter((event) => event.type === 'gate-end');
    expect(gates).toHaveLength(1);
    // The turn's checkpoint and the phase's workspace are journaled, and their commits are on the remote.
    const steps = await h.journal.listSteps(RUN_ID);
    const keys = steps.map((step) => step.key);
    expect(keys).toEqual(
      expect.arrayContaining(['implementation/a1/t1/checkpoint', 'implementation/workspace']),
    );
    const refs = git(remote, 'for-each-ref', '--format=%(refname)', `refs/phasewise/checkpoints/${RUN_ID}/`);
    for (const step of steps.filter((s) => s.key.endsWith('checkpoint') || s.key.endsWith('/workspace'))) {
      expect(refs).toContain((step.result as { commit: string }).commit);
    }
    // The user's branches are untouched: HEAD is still the remote's commit, the write left uncommitted.
    expect(git(clone, 'status', '--porcelain')).toContain('alpha.txt');
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(git(remote, 'rev-parse', 'HEAD'));
  });

  it('without them, the same resume finds the write missing, fails the gate and pays for the write again', async () => {
    const { h, common } = await interruptedAfterTheWrite(false);
    await h.run({ ...common, resume: { runId: RUN_ID } });
    const gates = h.events.filter(
      (event): event is Extract<typeof event, { type: 'gate-end' }> => event.type === 'gate-end',
    );
    expect(gates[0]?.passed).toBe(false);
    // The work is paid for again: a second attempt writes the file once more.
    const writes = h.events.filter((event) => event.type === 'tool-call-end' && event.tool === 'write');
    expect(writes).toContainEqual(expect.objectContaining({ attempt: 2, replayed: false }));
  });
});
