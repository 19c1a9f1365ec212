/**
 * Every way an attempt ends is journaled as an `attempt-end` event and kept in the attempt's recorded result,
 * and the attempt's report file is never empty: when the agent wrote no text, it says why the attempt ended.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResolvedPhase } from '../../src/config/types.js';
import { InterruptedError } from '../../src/errors/index.js';
import type { RunEvent } from '../../src/events/index.js';
import type { ModelScript, ScriptedTurn } from '../../src/testing/model-script.js';
import type { Tool } from '../../src/tools/tool.js';
import { harness, harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

/** A read tool that answers `output(input)`: the same answer for every call, or a new one for each. */
function readTool(output: (input: unknown) => string): Tool {
  return {
    name: 'read',
    description: 'reads',
    inputSchema: { type: 'object' },
    permission: 'read',
    execute: async (input) => ({ output: output(input), isError: false }),
  };
}

const readCall = (path: string): ScriptedTurn => ({ toolCalls: [{ name: 'read', input: { path } }] });
const attemptEnds = (events: readonly RunEvent[]) =>
  events.filter((event): event is Extract<RunEvent, { type: 'attempt-end' }> => event.type === 'attempt-end');

async function runOne(
  turns: ScriptedTurn[],
  options: { phase?: Partial<ResolvedPhase>; tool?: Tool; interruptAtTurn?: number } = {},
) {
  const h = make(testWorkflow({ phases: [phase('research', { escalation: ['halt'], ...options.phase })] }), {
    phases: { research: [{ turns }] },
  });
  const controller = new AbortController();
  const outcome = await h.run({
    tools: [options.tool ?? readTool((input) => JSON.stringify(input))],
    abortSignal: controller.signal,
    onEvent: (event) => {
      h.events.push(event);
      if (event.type === 'model-call-start' && event.turn === options.interruptAtTurn) {
        setTimeout(() => controller.abort(new InterruptedError()), 20);
      }
    },
  });
  const [end, ...more] = attemptEnds(await h.journal.listEvents(outcome.runId));
  expect(more).toEqual([]);
  const output = (await h.journal.getStep(outcome.runId, 'research/a1/output'))?.result as
    | { path: string; stopReason: string }
    | undefined;
  return { h, outcome, end: end!, output };
}

describe('attempt-end', () => {
  it('answered: journaled with its turns, and in the recorded attempt result', async () => {
    const { end, output } = await runOne([readCall('a.ts'), { text: report('research') }]);
    expect(end).toMatchObject({
      phaseId: 'research',
      attempt: 1,
      stopReason: 'answered',
      detail: null,
      turns: 2,
    });
    expect(output).toMatchObject({ stopReason: 'answered', detail: null, turns: 2 });
    expect(readFileSync(output!.path, 'utf8')).toBe(report('research'));
  });

  it.each([
    [
      'max-turns',
      { maxTurns: 2 },
      [readCall('a.ts'), readCall('b.ts'), readCall('c.ts')],
      /cap of 2 turns/,
      2,
    ],
    ['repeated-call', {}, Array.from({ length: 5 }, () => readCall('a.ts')), /same call .* 3 times/, 3],
  ] as const)(
    '%s: journaled, and the empty report says why',
    async (reason, phaseOverrides, turns, detail, count) => {
      const { end, output } = await runOne([...turns], { phase: phaseOverrides });
      expect(end).toMatchObject({ stopReason: reason, turns: count });
      expect(end.detail).toMatch(detail);
      expect(output).toMatchObject({ stopReason: reason, turns: count });
      const written = readFileSync(output!.path, 'utf8');
      expect(written).toContain(`(${reason})`);
      expect(written).toMatch(detail);
    },
  );

  it('no-progress: turns that learn nothing new stop the attempt', async () => {
    const turns = Array.from({ length: 8 }, (_, index) => readCall(`file-${index}.ts`));
    const { end, output } = await runOne(turns, { tool: readTool(() => 'the same answer') });
    expect(end).toMatchObject({ stopReason: 'no-progress', turns: 5 });
    expect(readFileSync(output!.path, 'utf8')).toMatch(/no new information/);
  });

  it("budget: after the wrap-up note, the phase's money runs out", async () => {
    const turns: ScriptedTurn[] = [
      { ...readCall('a.ts'), usage: { input: 1_000, output: 500 } },
      { text: report('research') },
    ];
    const { h, outcome, end, output } = await runOne(turns, { phase: { costLimitUsd: 0.0036 } });
    expect(outcome.status).toBe('budget_exceeded');
    expect(h.events.some((event) => event.type === 'budget-warning')).toBe(true);
    expect(end).toMatchObject({ stopReason: 'budget', turns: 1 });
    expect(end.detail).toMatch(/cost limit of phase research exhausted/);
    expect(output).toBeUndefined();
  });

  it('timeout: the phase timed out mid-call', async () => {
    const { outcome, end } = await runOne([readCall('a.ts'), { hang: true }], { phase: { timeoutMs: 300 } });
    expect(outcome.status).toBe('timed_out');
    expect(end).toMatchObject({ stopReason: 'timeout', turns: 1 });
    expect(end.detail).toMatch(/timed out/);
  });

  it('interrupted: Ctrl-C mid-call', async () => {
    const { outcome, end } = await runOne([{ hang: true }], { interruptAtTurn: 1 });
    expect(outcome.status).toBe('interrupted');
    expect(end).toMatchObject({ stopReason: 'interrupted', turns: 0, detail: 'interrupted' });
  });

  it('error: the model call failed', async () => {
    const { outcome, end } = await runOne([readCall('a.ts'), { error: 'the server fell over' }]);
    expect(outcome.status).toBe('failed');
    expect(end).toMatchObject({ stopReason: 'error', turns: 1 });
    expect(end.detail).toMatch(/the server fell over/);
  });
});

describe('attempt-end on resume', () => {
  it('is shown again as replayed for a recorded attempt, and journaled once', async () => {
    const workflow = testWorkflow({ phases: [phase('research', { escalation: ['retry', 'halt'] })] });
    // Attempt 1 fails its gate (no sections); attempt 2 hangs until Ctrl-C.
    const first: ModelScript = {
      phases: { research: [{ turns: [{ text: 'no sections' }] }, { turns: [{ hang: true }] }] },
    };
    const h1 = harness(workflow, first);
    const controller = new AbortController();
    const interrupted = await h1.run({
      tools: [],
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'model-call-start' && event.attempt === 2) {
          setTimeout(() => controller.abort(new InterruptedError()), 20);
        }
      },
    });
    h1.close();
    expect(interrupted.status).toBe('interrupted');
    const second: ModelScript = {
      phases: { research: [{ turns: [{ text: 'no sections' }] }, { turns: [{ text: report('research') }] }] },
    };
    const h2 = make(workflow, second);
    const resumed = await h2.run({ tools: [], resume: { runId: interrupted.runId } });
    expect(resumed.status).toBe('succeeded');
    const shown = attemptEnds(h2.events).map((event) => [event.attempt, event.stopReason, event.replayed]);
    expect(shown).toEqual([
      [1, 'answered', true],
      [2, 'answered', undefined],
    ]);
    const journaled = attemptEnds(await h2.journal.listEvents(resumed.runId)).map((e) => [
      e.attempt,
      e.stopReason,
    ]);
    expect(journaled).toEqual([
      [1, 'answered'],
      [2, 'interrupted'],
      [2, 'answered'],
    ]);
  });
});
