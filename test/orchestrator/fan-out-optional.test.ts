/**
 * A fan-out with `required: false` (the built-in workflow's) gives way where it cannot help: in a workspace that
 * is not a git repository, and for a plan whose items each wait for the one before, the phase runs as one agent
 * and says why, where a required fan-out refuses the workspace.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/index.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { planReport } from '../support/fan-out-plan.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

const planWith = (items: Array<{ id: string; depends_on: string[] }>) =>
  planReport(items.map((item) => ({ ...item, acceptance: 'done' })));

const independent = planWith([
  { id: 'alpha', depends_on: [] },
  { id: 'beta', depends_on: [] },
]);
const chained = planWith([
  { id: 'alpha', depends_on: [] },
  { id: 'beta', depends_on: ['alpha'] },
]);

const scriptFor = (plan: string): ModelScript => ({
  phases: {
    planning: [{ turns: [{ text: plan }] }],
    implementation: [
      {
        turns: [
          { toolCalls: [{ name: 'write', input: { path: 'alpha.txt', content: 'a\n' } }] },
          { text: report('implementation') },
        ],
      },
    ],
  },
});

function workflowIn(workspace?: string) {
  return testWorkflow({
    ...(workspace === undefined ? {} : { workspace }),
    phases: [
      phase('planning'),
      phase('implementation', {
        dependsOn: ['planning'],
        fanOut: { from: 'planning', maxParallel: 2, optional: true },
      }),
    ],
  });
}

/** A fresh workspace made a git repository with one (empty) commit. */
function gitRepository(): string {
  const workspace = testWorkflow().workspace;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: workspace });
  git('init', '-q');
  git('commit', '-q', '--allow-empty', '-m', 'init');
  return workspace;
}

const skipped = (events: readonly RunEvent[]) =>
  events.flatMap((event) => (event.type === 'fan-out-skipped' ? [event.reason] : []));

describe('a fan-out that is not required', () => {
  it('runs the phase as one agent in a workspace that is not a git repository, and says why', async () => {
    const h = make(workflowIn(), scriptFor(independent));
    const result = await h.run({ tools: createWorkspaceTools() });
    expect(result.status).toBe('succeeded');
    expect(skipped(h.events)).toEqual(['the workspace is not a git repository: one agent does the phase']);
    expect(h.events.some((event) => event.type === 'fan-out-start')).toBe(false);
  });

  it('runs the phase as one agent when the items each wait for the one before', async () => {
    const workspace = gitRepository();
    const h = make(workflowIn(workspace), scriptFor(chained));
    const result = await h.run({ tools: createWorkspaceTools() });
    expect(result.status).toBe('succeeded');
    expect(skipped(h.events)).toEqual([
      "planning's report lists work items that each wait for the one before: one agent does the phase",
    ]);
  });

  it('fans out in a git repository over items that can run side by side', async () => {
    const workspace = gitRepository();
    const script: ModelScript = {
      phases: {
        planning: [{ turns: [{ text: independent }] }],
        ...Object.fromEntries(
          ['alpha', 'beta'].map((id) => [
            `implementation/item-${id}`,
            [
              {
                turns: [
                  { toolCalls: [{ name: 'write', input: { path: `${id}.txt`, content: `${id}\n` } }] },
                  { text: report('implementation') },
                ],
              },
            ],
          ]),
        ),
      },
    };
    const h = make(workflowIn(workspace), script);
    const result = await h.run({ tools: createWorkspaceTools() });
    expect(result.status).toBe('succeeded');
    expect(skipped(h.events)).toEqual([]);
    expect(h.events.filter((event) => event.type === 'merge-end')).toHaveLength(2);
  });
});
