/**
 * The windows in which a phase could change the workspace are journaled with its attempts: after a resume, a
 * file its command wrote before the interruption is still the phase's, and a file someone else wrote in between
 * is still not.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors/index.js';
import type { RunEvent } from '../../src/events/index.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import type { Tool } from '../../src/tools/tool.js';
import { harness, harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

function commandWriting(workspace: string, file: string): Tool {
  return {
    name: 'run_command',
    description: 'runs a command',
    inputSchema: { type: 'object' },
    permission: 'run',
    execute: async () => {
      writeFileSync(join(workspace, file), 'written by the command');
      return { output: 'done', isError: false };
    },
  };
}

describe('change windows across a resume', () => {
  it('keep a replayed command’s change against the phase, and another process’s out of it', async () => {
    const base = testWorkflow();
    const research = { ...base.agents.research!, permissions: ['read' as const, 'run' as const] };
    const workflow = testWorkflow({
      workspace: base.workspace,
      agents: { ...base.agents, research },
      phases: [
        phase('research', {
          escalation: ['retry', 'halt'],
          gate: {
            threshold: 0.8,
            checks: [
              { kind: 'sections', name: 'sections', weight: 1, required: false },
              { kind: 'diff', name: 'diff', weight: 0, required: true, expect: 'unchanged' },
            ],
          },
        }),
      ],
    });
    const attempt1 = {
      turns: [{ toolCalls: [{ name: 'run_command', input: { command: 'x' } }] }, { text: 'x' }],
    };
    const first: ModelScript = { phases: { research: [attempt1, { turns: [{ hang: true }] }] } };
    const tools = [commandWriting(workflow.workspace, 'made-by-command.txt')];
    const h1 = harness(workflow, first);
    const controller = new AbortController();
    const interrupted = await h1.run({
      tools,
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'model-call-start' && event.attempt === 2) {
          setTimeout(() => controller.abort(new InterruptedError()), 20);
        }
      },
    });
    h1.close();
    expect(interrupted.status).toBe('interrupted');
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(join(workflow.workspace, 'written-in-between.txt'), 'someone else');
    const second: ModelScript = {
      phases: { research: [attempt1, { turns: [{ text: report('research') }] }] },
    };
    const h2 = make(workflow, second);
    const resumed = await h2.run({ tools, resume: { runId: interrupted.runId } });
    expect(resumed.status).toBe('halted');
    const gates = (await h2.journal.listEvents(resumed.runId)).filter(
      (event): event is Extract<RunEvent, { type: 'gate-end' }> => event.type === 'gate-end',
    );
    const diff = gates.at(-1)?.checks.find((check) => check.kind === 'diff');
    expect(gates.at(-1)?.attempt).toBe(2);
    expect(diff).toMatchObject({
      passed: false,
      evidence: { changed: ['made-by-command.txt'], changedByOthers: ['written-in-between.txt'] },
    });
  });
});
