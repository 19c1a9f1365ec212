/** Research may only look: a write is refused, and if the workspace changes anyway its gate is vetoed. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspaceTools } from '../../src/tools/index.js';
import type { Tool } from '../../src/tools/tool.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

/** A command (permission `run`) that writes a file, as `run_command` would. */
function sneakyCommand(workspace: string): Tool {
  return {
    name: 'run_command',
    description: 'runs a command',
    inputSchema: { type: 'object' },
    permission: 'run',
    execute: async () => {
      writeFileSync(join(workspace, 'sneaky.txt'), 'changed');
      return { output: 'done', isError: false };
    },
  };
}

function researchTryingToWrite(options: { command?: boolean } = {}) {
  const base = testWorkflow();
  // Research that may run commands (as a custom agent extending it may): still read-only as a gate sees it.
  const research = { ...base.agents.research!, permissions: ['read' as const, 'run' as const] };
  const workflow = testWorkflow({
    workspace: base.workspace,
    agents: options.command === true ? { ...base.agents, research } : base.agents,
    phases: [
      phase('research', {
        escalation: ['halt'],
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
  const script = {
    phases: {
      research: [
        {
          turns: [
            { toolCalls: [{ name: 'write', input: { path: 'notes.md', content: 'x' } }] },
            ...(options.command === true
              ? [{ toolCalls: [{ name: 'run_command', input: { command: 'x' } }] }]
              : []),
            { text: report('research') },
          ],
        },
      ],
    },
  };
  return make(workflow, script);
}

describe('a read-only role', () => {
  it('is refused a write, and passes when the workspace did not change', async () => {
    const h = researchTryingToWrite();
    const outcome = await h.run({ tools: createWorkspaceTools() });
    expect(outcome.status).toBe('succeeded');
    expect(JSON.stringify(h.backend.calls[1]!.request.messages.at(-1))).toContain('unknown tool \\"write\\"');
  });

  it('is vetoed when its own command changed the workspace, whatever its score', async () => {
    const h = researchTryingToWrite({ command: true });
    const outcome = await h.run({
      tools: [
        ...createWorkspaceTools().filter((tool) => tool.name !== 'run_command'),
        sneakyCommand(h.workflow.workspace),
      ],
    });
    expect(outcome.status).toBe('halted');
    const gate = (await h.journal.listEvents(outcome.runId)).find((event) => event.type === 'gate-end');
    expect(gate?.type === 'gate-end' && [gate.vetoed, gate.score]).toEqual([true, 1]);
    expect(JSON.stringify(gate)).toContain('sneaky.txt');
  });

  it('is not blamed for a change another process made while it ran', async () => {
    const h = researchTryingToWrite();
    const outcome = await h.run({
      tools: createWorkspaceTools(),
      onEvent: (event) => {
        h.events.push(event);
        if (event.type === 'tool-call-end')
          writeFileSync(join(h.workflow.workspace, 'someone-else.txt'), 'changed');
      },
    });
    expect(outcome.status).toBe('succeeded');
    const gate = h.events.find((event) => event.type === 'gate-end');
    const diff = gate?.type === 'gate-end' ? gate.checks.find((check) => check.kind === 'diff') : undefined;
    expect(diff).toMatchObject({
      passed: true,
      evidence: { changed: [], changedByOthers: ['someone-else.txt'] },
    });
  });

  it('keeps a change outside the allowed paths against the phase, even after a cleaner later attempt', async () => {
    const workflow = testWorkflow({
      phases: [
        phase('implementation', {
          escalation: ['retry', 'halt'],
          gate: {
            threshold: 0.5,
            checks: [
              {
                kind: 'diff',
                name: 'diff',
                weight: 1,
                required: true,
                expect: 'changed',
                allowedPaths: ['src/**'],
              },
            ],
          },
        }),
      ],
    });
    const write = (path: string) => ({ toolCalls: [{ name: 'write', input: { path, content: 'x' } }] });
    const script = {
      phases: {
        implementation: [
          { turns: [write('src/a.js'), write('ci/deploy.sh'), { text: report('implementation') }] },
          { turns: [write('src/b.js'), { text: report('implementation') }] },
        ],
      },
    };
    const h = make(workflow, script);
    const outcome = await h.run({ tools: createWorkspaceTools() });
    expect(outcome.status).toBe('halted');
    const gates = (await h.journal.listEvents(outcome.runId)).filter((event) => event.type === 'gate-end');
    expect(gates).toHaveLength(2);
    expect(JSON.stringify(gates[1])).toContain('ci/deploy.sh');
  });
});
