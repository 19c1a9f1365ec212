/**
 * A worktree is a full copy of the repository, the run's governing files included, and what a lane changes is
 * merged into the workspace: an item's tools may not change the copies any more than the originals.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelScript } from '../../src/testing/model-script.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

const plan = [
  report('planning'),
  '```json',
  JSON.stringify({
    work_items: ['alpha', 'beta'].map((id) => ({
      id,
      title: id,
      files: [`${id}.txt`],
      depends_on: [],
      acceptance: 'done',
    })),
  }),
  '```',
].join('\n');

const item = (id: string, ...extra: Array<{ path: string; content: string }>) => [
  {
    turns: [
      {
        toolCalls: [...extra, { path: `${id}.txt`, content: `${id}\n` }].map((input) => ({
          name: 'write',
          input,
        })),
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
});
