/**
 * A fanned-out phase interrupted mid-item whose worktree is then lost (deleted by hand) before `resume`, in-process:
 * a real git repository, a real SQLite journal, the real workspace tools and gate command, a scripted model. The
 * resume replays the item's journaled write instead of running it again; its worktree is made again from the
 * checkpoint journaled after that turn, so the write is there, its gate passes on the first attempt, and it merges.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateCheckConfig } from '../../src/config/types.js';
import { InterruptedError } from '../../src/errors/index.js';
import type { RunEvent } from '../../src/events/index.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { git, planReport } from '../support/fan-out-plan.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

const plan = planReport(['alpha', 'beta'].map((id) => ({ id, acceptance: `${id}.txt written` })));

const done = { text: report('implementation') };
const writes = (path: string) => ({ toolCalls: [{ name: 'write', input: { path, content: `${path}\n` } }] });

/** The item's own file must be there: an item whose write is lost fails it. */
const itemFileWritten: GateCheckConfig = {
  kind: 'command',
  name: 'written',
  weight: 1,
  required: true,
  command: 'test -n "$(ls ./*.txt 2>/dev/null)"',
  timeoutMs: 10_000,
  expectExit: 0,
};

describe('a fanned-out item whose worktree is lost before the resume', () => {
  it('is made again from its checkpoint: the replayed write is there and the item passes once', async () => {
    const workspace = testWorkflow().workspace;
    writeFileSync(join(workspace, 'README.md'), 'a project\n');
    git(workspace, 'init', '-q');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-qm', 'init');
    const workflow = testWorkflow({
      workspace,
      phases: [
        phase('planning'),
        phase('implementation', {
          dependsOn: ['planning'],
          fanOut: { from: 'planning', maxParallel: 2 },
          gate: {
            ...phase('implementation').gate,
            checks: [...phase('implementation').gate.checks, itemFileWritten],
          },
          escalation: ['halt'],
        }),
      ],
    });
    const script: ModelScript = {
      phases: {
        planning: [{ turns: [{ text: plan }] }],
        'implementation/item-alpha': [{ turns: [writes('alpha.txt'), { ...done, delayMs: 60_000 }] }],
        'implementation/item-beta': [{ turns: [writes('beta.txt'), { ...done, delayMs: 60_000 }] }],
      },
    };
    const h = make(workflow, script);
    const controller = new AbortController();
    const started = new Set<string>();
    const first = await h.run({
      tools: createWorkspaceTools(),
      abortSignal: controller.signal,
      onEvent: (event) => {
        h.events.push(event);
        // Both items have written and asked for their second turn: interrupt.
        if (event.type === 'model-call-start' && event.turn === 2 && event.item !== undefined) {
          started.add(event.item);
          if (started.size === 2) controller.abort(new InterruptedError());
        }
      },
    });
    expect(first.status).toBe('interrupted');
    const keys = (await h.journal.listSteps(first.runId)).map((step) => step.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'implementation/item-alpha/a1/t1/checkpoint',
        'implementation/item-beta/a1/t1/checkpoint',
      ]),
    );
    const lanes = join(workspace, '.phasewise', 'worktrees', first.runId, 'implementation');
    expect(readFileSync(join(lanes, 'item-alpha', 'alpha.txt'), 'utf8')).toBe('alpha.txt\n');
    // alpha's worktree is lost; beta's stays as it was.
    rmSync(join(lanes, 'item-alpha'), { recursive: true, force: true });

    for (const turns of Object.values(script.phases)) for (const turn of turns[0]!.turns) delete turn.delayMs;
    h.events.length = 0;
    const resumed = await h.run({ tools: createWorkspaceTools(), resume: { runId: first.runId } });
    expect(resumed.status).toBe('succeeded');
    const ends = h.events.filter(
      (event): event is Extract<RunEvent, { type: 'item-end' }> => event.type === 'item-end',
    );
    expect(ends.map((event) => [event.item, event.status, event.attempts]).sort()).toEqual([
      ['alpha', 'passed', 1],
      ['beta', 'passed', 1],
    ]);
    // The write was replayed from the journal, not made again, and still reached the workspace.
    const alphaWrites = h.events.filter(
      (event) => event.type === 'tool-call-end' && event.item === 'alpha' && event.tool === 'write',
    );
    expect(alphaWrites).toEqual([expect.objectContaining({ replayed: true })]);
    expect(readFileSync(join(workspace, 'alpha.txt'), 'utf8')).toBe('alpha.txt\n');
    expect(readFileSync(join(workspace, 'beta.txt'), 'utf8')).toBe('beta.txt\n');
    // The checkpoints are no branch's: the user's repository gains no ref, and its HEAD stays.
    expect(git(workspace, 'for-each-ref', '--format=%(refname)')).toMatch(/^refs\/heads\/(main|master)\n$/);
  });
});
