/** `reuse: all`: a workspace-changing phase's recorded changes are applied again and the tree verified. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import { createWorkspaceTools } from '../../src/tools/index.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const write = (path: string, content: string) => ({
  toolCalls: [{ name: 'write', input: { path, content } }],
});

function gitWorkflow() {
  const workflow = testWorkflow({ phases: [phase('implementation')] });
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: workflow.workspace, stdio: 'pipe' }).toString();
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'start');
  const script = {
    phases: {
      implementation: [
        { turns: [write('src/a.js', 'export const a = 1;\n'), { text: report('implementation') }] },
      ],
    },
  };
  return { workflow, script };
}

describe('reuse of a workspace-changing phase', () => {
  it('is off by default: the phase runs again', async () => {
    const { workflow, script } = gitWorkflow();
    const h = make(workflow, script);
    await h.run({ tools: createWorkspaceTools() });
    rmSync(join(workflow.workspace, 'src'), { recursive: true });
    await h.run({ tools: createWorkspaceTools() });
    expect(h.backend.calls.length).toBe(4);
  });

  it('with reuse all, applies the recorded changes to the same starting tree without calling the model', async () => {
    const { workflow, script } = gitWorkflow();
    const h = make(workflow, script);
    const first = await h.run({ tools: createWorkspaceTools(), reuse: 'all' });
    expect(first.status).toBe('succeeded');
    rmSync(join(workflow.workspace, 'src'), { recursive: true });
    const second = await h.run({ tools: createWorkspaceTools(), reuse: 'all' });
    expect(second.status).toBe('succeeded');
    expect(h.backend.calls.length).toBe(2);
    expect(readFileSync(join(workflow.workspace, 'src', 'a.js'), 'utf8')).toBe('export const a = 1;\n');
    const reused = h.events.find((event) => event.type === 'phase-reused' && event.runId === second.runId);
    expect(reused).toMatchObject({ fromRunId: first.runId, changesApplied: true });
  });

  it('runs the phase when the recorded changes do not lead to the recorded tree, leaving nothing applied', async () => {
    const { workflow, script } = gitWorkflow();
    const h = make(workflow, script);
    await h.run({ tools: createWorkspaceTools(), reuse: 'all' });
    rmSync(join(workflow.workspace, 'src'), { recursive: true });
    // The stored patch now writes other content than the tree it claims to end at.
    const file = join(workflow.workspace, '.phasewise', 'journal.db');
    const db = new (loadSqlite(file).DatabaseSync)(file);
    db.exec("UPDATE phase_cache SET changes = replace(changes, 'a = 1', 'a = 2')");
    db.close();
    const second = await h.run({ tools: createWorkspaceTools(), reuse: 'all' });
    expect(second.status).toBe('succeeded');
    expect(h.backend.calls.length).toBe(4);
    expect(readFileSync(join(workflow.workspace, 'src', 'a.js'), 'utf8')).toBe('export const a = 1;\n');
    const step = await h.journal.getStep(second.runId, 'implementation/reuse');
    expect(JSON.stringify(step?.result)).toMatch(/came out at|do not apply/);
    expect(existsSync(join(workflow.workspace, 'src', 'a.js.rej'))).toBe(false);
  });
});
