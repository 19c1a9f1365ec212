/**
 * A worktree is a full copy of the repository, the run's governing files included, and what a lane changes is
 * merged into the workspace: an item's tools and commands may not change the copies any more than the originals —
 * the configuration at the root, one loaded from elsewhere (`-c ci/pw.yaml`), the task file — whatever the
 * tools were built with, and a result that changes one anyway is not applied.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { planReport } from '../support/fan-out-plan.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

const plan = planReport(['alpha', 'beta'].map((id) => ({ id, acceptance: 'done' })));

const item = (id: string, ...extra: Array<{ path: string; content: string }>) =>
  itemWith(id, ...extra.map((input) => ({ name: 'write', input })));

const itemWith = (id: string, ...extra: Array<{ name: string; input: Record<string, unknown> }>) => [
  {
    turns: [
      {
        toolCalls: [...extra, { name: 'write', input: { path: `${id}.txt`, content: `${id}\n` } }],
      },
      { text: report('implementation') },
    ],
  },
];

describe("a fanned-out item and the run's governing files", () => {
  it('cannot change the copy of phasewise.yaml in its worktree, so nothing reaches the workspace', async () => {
    const workspace = testWorkflow().workspace;
    const config = join(workspace, 'phasewise.yaml');
    writeFileSync(config, 'version: 1\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: workspace,
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'init');
    const script: ModelScript = {
      phases: {
        planning: [{ turns: [{ text: plan }] }],
        'implementation/item-alpha': item('alpha', { path: 'phasewise.yaml', content: 'budget: 1000\n' }),
        'implementation/item-beta': item('beta'),
      },
    };
    const workflow = testWorkflow({
      workspace,
      sandbox: { mode: 'none', network: false, readOnlyPaths: [], protectedFiles: [config] },
      phases: [
        phase('planning'),
        phase('implementation', { dependsOn: ['planning'], fanOut: { from: 'planning', maxParallel: 2 } }),
      ],
    });
    const h = make(workflow, script);
    const result = await h.run({ tools: createWorkspaceTools() });
    expect(result.status).toBe('succeeded');
    const refused = h.events.filter(
      (event) => event.type === 'tool-call-end' && event.item === 'alpha' && !event.ok,
    );
    expect(refused).toHaveLength(1);
    expect(readFileSync(config, 'utf8')).toBe('version: 1\n');
    expect(readFileSync(join(workspace, 'alpha.txt'), 'utf8')).toBe('alpha\n');
  });

  it('cannot change a configuration loaded from ci/pw.yaml or the task file, by tool or by command', async () => {
    const workspace = testWorkflow().workspace;
    mkdirSync(join(workspace, 'ci'));
    const config = join(workspace, 'ci', 'pw.yaml');
    const taskFile = join(workspace, 'task.md');
    writeFileSync(config, 'budget: 1\n');
    writeFileSync(taskFile, 'the task\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: workspace,
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'init');
    const script: ModelScript = {
      phases: {
        planning: [{ turns: [{ text: plan }] }],
        'implementation/item-alpha': itemWith(
          'alpha',
          { name: 'write', input: { path: 'ci/pw.yaml', content: 'budget: 1000\n' } },
          { name: 'edit', input: { path: 'task.md', old: 'the task', new: 'another task' } },
        ),
        'implementation/item-beta': itemWith('beta', {
          name: 'run_command',
          input: { command: 'echo "budget: 1000" > ci/pw.yaml; echo more >> task.md' },
        }),
      },
    };
    // As the CLI builds them: the tools know the governing files of the workspace, not of any worktree.
    const sandbox = {
      mode: 'none' as const,
      network: false,
      readOnlyPaths: [],
      protectedFiles: [config, taskFile],
    };
    const implementation = testWorkflow().agents.implementation!;
    const workflow = testWorkflow({
      workspace,
      sandbox,
      agents: {
        ...testWorkflow().agents,
        implementation: { ...implementation, permissions: ['read', 'write', 'run'] },
      },
      phases: [
        phase('planning'),
        phase('implementation', { dependsOn: ['planning'], fanOut: { from: 'planning', maxParallel: 2 } }),
      ],
    });
    const h = make(workflow, script);
    const result = await h.run({ tools: createWorkspaceTools({ sandbox }) });
    expect(result.status).toBe('succeeded');
    const refused = (id: string) =>
      h.events.filter((event) => event.type === 'tool-call-end' && event.item === id && !event.ok);
    expect(refused('alpha')).toHaveLength(2);
    expect(refused('beta')).toHaveLength(1);
    // Refused as governing files, not for any other reason.
    const results = JSON.stringify(
      h.backend.calls.filter((call) => call.phaseId.includes('/item-')).map((call) => call.request),
    );
    expect(results.match(/is phasewise's configuration, which tools may not change/g)).toHaveLength(2);
    expect(results).toContain('put back: restored task.md, restored ci/pw.yaml');
    expect(readFileSync(config, 'utf8')).toBe('budget: 1\n');
    expect(readFileSync(taskFile, 'utf8')).toBe('the task\n');
    expect(readFileSync(join(workspace, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(workspace, 'beta.txt'), 'utf8')).toBe('beta\n');
  });
});
