import { afterEach, describe, expect, it } from 'vitest';
import { LoopMonitor, NO_PROGRESS_TURNS, REPEAT_LIMIT } from '../../src/agent/stop-conditions.js';
import type { Tool } from '../../src/tools/tool.js';
import { type EngineHarness, harness } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const call = (input: unknown) => ({ type: 'tool-call' as const, toolCallId: 'c', toolName: 'read', input });
const result = (output: string) => ({
  type: 'tool-result' as const,
  toolCallId: 'c',
  toolName: 'read',
  output,
  isError: false,
});

describe('LoopMonitor', () => {
  it(`stops at the ${REPEAT_LIMIT}rd identical call, whatever the key order of its arguments`, () => {
    const monitor = new LoopMonitor();
    expect(monitor.observe([call({ a: 1, b: 2 })], [result('x')])).toBeUndefined();
    expect(monitor.observe([call({ b: 2, a: 1 })], [result('y')])).toBeUndefined();
    expect(monitor.observe([call({ a: 1, b: 2 })], [result('z')])).toMatchObject({ reason: 'repeated-call' });
  });

  it(`stops after ${NO_PROGRESS_TURNS} turns that learned nothing new`, () => {
    const monitor = new LoopMonitor();
    expect(monitor.observe([call({ n: 0 })], [result('same')])).toBeUndefined();
    for (let n = 1; n < NO_PROGRESS_TURNS; n += 1) {
      expect(monitor.observe([call({ n })], [result('same')])).toBeUndefined();
    }
    expect(monitor.observe([call({ n: 99 })], [result('same')])).toMatchObject({ reason: 'no-progress' });
  });

  it('counts a different action (an edit, a command) as progress even when it answers the same', () => {
    const monitor = new LoopMonitor(new Set(['edit']));
    const edit = (n: number) => ({
      type: 'tool-call' as const,
      toolCallId: 'c',
      toolName: 'edit',
      input: { n },
    });
    for (let n = 0; n < 10; n += 1)
      expect(monitor.observe([edit(n)], [result('edited a.ts')])).toBeUndefined();
    expect(monitor.observe([edit(3)], [result('edited a.ts')])).toBeUndefined();
    expect(monitor.observe([edit(3)], [result('edited a.ts')])).toMatchObject({ reason: 'repeated-call' });
  });

  it('keeps going while each turn brings something new', () => {
    const monitor = new LoopMonitor();
    for (let n = 0; n < 20; n += 1) expect(monitor.observe([call({ n })], [result(`r${n}`)])).toBeUndefined();
  });
});

let open: EngineHarness[] = [];
afterEach(() => {
  for (const h of open) h.close();
  open = [];
});

describe('a looping model', () => {
  it('is stopped, and the next attempt is told why', async () => {
    let executions = 0;
    const read: Tool = {
      name: 'read',
      description: 'reads',
      inputSchema: { type: 'object' },
      permission: 'read',
      execute: async () => {
        executions += 1;
        return { output: 'the same file', isError: false };
      },
    };
    const looping = Array.from({ length: 30 }, () => ({
      toolCalls: [{ name: 'read', input: { path: 'a.ts' } }],
    }));
    const script = { phases: { research: [{ turns: looping }, { turns: [{ text: report('research') }] }] } };
    const h = harness(testWorkflow({ phases: [phase('research', { maxTurns: 30 })] }), script);
    open.push(h);
    const outcome = await h.run({ tools: [read] });
    expect(outcome.status).toBe('succeeded');
    expect(executions).toBe(REPEAT_LIMIT);
    const retry = h.backend.calls.find((entry) => entry.attempt === 2)!;
    expect(JSON.stringify(retry.request.messages)).toContain(
      'stopped early: the same call (read {\\"path\\":\\"a.ts\\"}) was made 3 times',
    );
  });
});
