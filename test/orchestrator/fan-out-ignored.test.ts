/**
 * A fanned-out phase whose gate command needs files git ignores (installed dependencies), in-process: a real git
 * repository, a real SQLite journal, the real workspace tools and gate commands, a scripted model. A fresh
 * worktree lacks them, so the item's gate fails where the workspace's passes; `copy_ignored` brings a copy of
 * them into each worktree, and the items pass with the workspace's own copy untouched.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateCheckConfig } from '../../src/config/types.js';
import type { RunEvent } from '../../src/events/index.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { git, planReport } from '../support/fan-out-plan.js';
import { phase, report, testWorkflow } from '../support/workflow.js';
import { write } from '../worktree/git-repository.js';

const make = harnessesClosedAfterEach();

const plan = planReport(['alpha', 'beta']);

const done = { text: report('implementation') };
const builds = (path: string) => [
  { turns: [{ toolCalls: [{ name: 'write', input: { path, content: `${path}\n` } }] }, done] },
];

/** The project's tests, which load an installed dependency: they pass only where `node_modules` is. */
const projectTests: GateCheckConfig = {
  kind: 'command',
  name: 'tests',
  weight: 1,
  required: true,
  command: 'grep -q dependency node_modules/dep/index.js && echo "TOKEN=x" | cmp -s - .env',
  timeoutMs: 10_000,
  expectExit: 0,
};

function project(): string {
  const workspace = testWorkflow().workspace;
  writeFileSync(join(workspace, '.gitignore'), 'node_modules/\n.env\n');
  writeFileSync(join(workspace, 'README.md'), 'a project\n');
  git(workspace, 'init', '-q');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'init');
  write(workspace, { 'node_modules/dep/index.js': 'the dependency\n', '.env': 'TOKEN=x\n' });
  return workspace;
}

async function fanOutWith(copyIgnored: string[] | undefined) {
  const workspace = project();
  const workflow = testWorkflow({
    workspace,
    phases: [
      phase('planning'),
      phase('implementation', {
        dependsOn: ['planning'],
        fanOut: { from: 'planning', maxParallel: 2, ...(copyIgnored === undefined ? {} : { copyIgnored }) },
        gate: {
          ...phase('implementation').gate,
          checks: [...phase('implementation').gate.checks, projectTests],
        },
        escalation: ['halt'],
      }),
    ],
  });
  const h = make(workflow, {
    phases: {
      planning: [{ turns: [{ text: plan }] }],
      'implementation/item-alpha': builds('alpha.txt'),
      'implementation/item-beta': builds('beta.txt'),
    },
  } satisfies ModelScript);
  const result = await h.run({ tools: createWorkspaceTools() });
  const itemGates = h.events
    .filter((event): event is Extract<RunEvent, { type: 'gate-end' }> => event.type === 'gate-end')
    .filter((event) => event.item !== undefined)
    .map((event) => [event.item, event.passed]);
  return { workspace, result, itemGates };
}

describe('a fanned-out phase whose gate needs ignored files', () => {
  it('fails each item’s gate in a bare worktree, where the workspace has the files', async () => {
    const { workspace, itemGates } = await fanOutWith(undefined);
    expect(itemGates.sort()).toEqual([
      ['alpha', false],
      ['beta', false],
    ]);
    // Neither item passed, so neither was merged.
    expect(existsSync(join(workspace, 'alpha.txt'))).toBe(false);
  });

  it('passes with copy_ignored: each worktree gets its own copy, the workspace’s stays as it was', async () => {
    const { workspace, itemGates, result } = await fanOutWith(['node_modules', '.env']);
    expect(itemGates.sort()).toEqual([
      ['alpha', true],
      ['beta', true],
    ]);
    expect(result.status).toBe('succeeded');
    expect(readFileSync(join(workspace, 'alpha.txt'), 'utf8')).toBe('alpha.txt\n');
    expect(readFileSync(join(workspace, 'node_modules/dep/index.js'), 'utf8')).toBe('the dependency\n');
    // The copies went with the worktrees; none of them reached the user's git status.
    expect(git(workspace, 'status', '--porcelain')).toBe('?? alpha.txt\n?? beta.txt\n');
  });
});
