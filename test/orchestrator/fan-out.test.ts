/**
 * A phase fanned out over the plan's work items, end to end in-process: a real git repository, a real SQLite
 * journal, the real workspace tools, and a scripted model answering each lane from its own entry
 * (`implementation/item-<id>`, `implementation/merge-<n>`). Three items side by side; the third conflicts with the
 * first on one file, and the merge turn resolves it; the merged result lands in the workspace uncommitted.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorktreeError } from '../../src/errors/index.js';
import type { RunEvent } from '../../src/events/index.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { git, planReport } from '../support/fan-out-plan.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

const plan = planReport([
  { id: 'alpha', title: 'Alpha', files: ['alpha.txt', 'shared.txt'] },
  { id: 'beta', title: 'Beta' },
  { id: 'gamma', title: 'Gamma', files: ['shared.txt'] },
]);

const writes = (...files: Array<[string, string]>) => ({
  toolCalls: files.map(([path, content]) => ({ name: 'write', input: { path, content } })),
});
const done = { text: report('implementation') };

const script: ModelScript = {
  phases: {
    planning: [{ turns: [{ text: plan }] }],
    'implementation/item-alpha': [
      { turns: [writes(['alpha.txt', 'alpha\n'], ['shared.txt', 'from alpha\n']), done] },
    ],
    'implementation/item-beta': [{ turns: [writes(['beta.txt', 'beta\n']), done] }],
    'implementation/item-gamma': [{ turns: [writes(['shared.txt', 'from gamma\n']), done] }],
    'implementation/merge-3': [{ turns: [writes(['shared.txt', 'from alpha\nfrom gamma\n']), done] }],
  },
};

describe('a phase fanned out over work items', () => {
  it('runs the items side by side, resolves the conflict with a merge turn and applies the merged result', async () => {
    const base = testWorkflow();
    const workspace = base.workspace;
    writeFileSync(join(workspace, 'shared.txt'), 'original\n');
    git(workspace, 'init', '-q');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-qm', 'init');
    const head = git(workspace, 'rev-parse', 'HEAD').trim();
    const workflow = testWorkflow({
      workspace,
      phases: [
        phase('planning'),
        phase('implementation', {
          dependsOn: ['planning'],
          fanOut: { from: 'planning', maxParallel: 3 },
        }),
      ],
    });
    const h = make(workflow, script);
    const result = await h.run({ tools: createWorkspaceTools() });
    expect(result.status).toBe('succeeded');

    const of = <T extends RunEvent['type']>(type: T) =>
      h.events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);
    expect(of('fan-out-start')[0]?.items.map((item) => item.id)).toEqual(['alpha', 'beta', 'gamma']);
    expect(of('item-end').map((event) => [event.item, event.status])).toEqual(
      expect.arrayContaining([
        ['alpha', 'passed'],
        ['beta', 'passed'],
        ['gamma', 'passed'],
      ]),
    );
    expect(of('merge-end').map((event) => [event.item, event.outcome])).toEqual([
      ['alpha', 'merged'],
      ['beta', 'merged'],
      ['gamma', 'resolved'],
    ]);
    expect(of('merge-end')[2]?.files).toEqual(['shared.txt']);
    // Lane events carry their item.
    expect(h.events.some((event) => event.type === 'model-call-end' && event.item === 'beta')).toBe(true);

    // The merged result is in the working tree, uncommitted; the user's branch and HEAD are as they were.
    expect(readFileSync(join(workspace, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(workspace, 'beta.txt'), 'utf8')).toBe('beta\n');
    expect(readFileSync(join(workspace, 'shared.txt'), 'utf8')).toBe('from alpha\nfrom gamma\n');
    expect(git(workspace, 'rev-parse', 'HEAD').trim()).toBe(head);
    // No worktree is left behind.
    expect(existsSync(join(workspace, '.phasewise', 'worktrees', result.runId))).toBe(false);

    // Each lane's steps are journaled under its own key.
    const keys = (await h.journal.listSteps(result.runId)).map((step) => step.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'implementation/fan-out',
        'implementation/item-alpha/a1/t1/model',
        'implementation/item-gamma/commit',
        'implementation/merge-3/merge',
        'implementation/merge-3/commit',
      ]),
    );
  });

  it('refuses a workspace that is not a git repository before anything is spent', async () => {
    const workflow = testWorkflow({
      phases: [
        phase('planning'),
        phase('implementation', { dependsOn: ['planning'], fanOut: { from: 'planning', maxParallel: 2 } }),
      ],
    });
    const h = make(workflow, script);
    const refused = await h.run({ tools: createWorkspaceTools() }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorktreeError);
    expect(refused).toMatchObject({ exitCode: 2 });
    expect((refused as Error).message).toMatch(/must be a git repository: run `git init/);
    expect(h.backend.calls).toHaveLength(0);
    expect(await h.journal.listRuns()).toEqual([]);
  });
});
