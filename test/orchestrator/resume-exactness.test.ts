/** Regressions found in review: each case once made a resumed or cancelled run differ from an uninterrupted one. */
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors/index.js';
import type { RunEvent } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import type { Journal } from '../../src/journal/journal.js';
import { runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { ScriptedBackend } from '../../src/testing/scripted-model.js';
import type { Tool } from '../../src/tools/tool.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

const noop: Tool = {
  name: 'noop',
  description: 'does nothing',
  inputSchema: { type: 'object' },
  permission: 'read',
  execute: async (input) => ({ output: `ok ${JSON.stringify(input)}`, isError: false }),
};
/** A tool-calling turn; `n` varies the arguments so the loop detector sees progress. */
const toolTurn = (n: number): ModelScript['phases'][string][number]['turns'][number] => ({
  toolCalls: [{ name: 'noop', input: { n } }],
  usage: { input: 200, output: 1_000 },
});

describe('resume keeps the budget whole', () => {
  it('counts every recorded cost before phases running side by side make new calls', async () => {
    const turns = [...Array.from({ length: 20 }, (_, n) => toolTurn(n)), { text: report('research') }];
    const script = {
      phases: { a: [{ turns: structuredClone(turns) }], b: [{ turns: structuredClone(turns) }] },
    };
    script.phases.a[0]!.turns[1]!.delayMs = 60_000;
    const workflow = testWorkflow({
      budgetUsd: 0.125,
      phases: [
        phase('a', { agent: 'research', maxTurns: 30 }),
        phase('b', { agent: 'research', maxTurns: 30 }),
      ],
    });
    const h = make(workflow, script);
    const controller = new AbortController();
    let ends = 0;
    const first = await h.run({
      tools: [noop],
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'model-call-end' && event.phaseId === 'b' && ++ends === 18)
          controller.abort(new InterruptedError());
      },
    });
    expect(first.status).toBe('interrupted');
    script.phases.a[0]!.turns[1]!.delayMs = 0;
    const resumed = await h.run({ tools: [noop], resume: { runId: first.runId } });
    expect(resumed.status).toBe('budget_exceeded');
    expect((await h.journal.getRun(first.runId))!.costUsd).toBeLessThanOrEqual(workflow.budgetUsd);
    expect(resumed.costUsd).toBeCloseTo((await h.journal.getRun(first.runId))!.costUsd, 10);
  });
});

describe('resume starts only what the uninterrupted run would', () => {
  it('does not start a phase after a halt just because a recorded sibling replays first', async () => {
    const script = {
      phases: {
        a: [{ turns: [{ text: 'no sections' }] }],
        b: [{ turns: [{ text: report('research'), delayMs: 200 }] }],
        c: [{ turns: [{ text: report('research') }] }],
      },
    };
    const workflow = testWorkflow({
      phases: [
        phase('a', { agent: 'research', escalation: ['halt'] }),
        phase('b', { agent: 'research' }),
        phase('c', { agent: 'research', dependsOn: ['b'] }),
      ],
    });
    const h = make(workflow, script);
    const first = await h.run();
    const callsAfterFirst = h.backend.calls.map((call) => call.phaseId);
    const again = await h.run({ resume: { runId: first.runId } });
    expect(again.phases.map((outcome) => [outcome.phaseId, outcome.status])).toEqual(
      first.phases.map((outcome) => [outcome.phaseId, outcome.status]),
    );
    expect(h.backend.calls.map((call) => call.phaseId)).toEqual(callsAfterFirst);
  });
});

describe('cancellation is named by the signal, not by the error a model throws', () => {
  class SdkAbortError extends Error {}
  const abortingModel = (modelId: string) => ({
    provider: 'fake',
    modelId,
    generate: (request: { abortSignal: AbortSignal }) =>
      new Promise<never>((_, reject) => {
        request.abortSignal.addEventListener('abort', () =>
          reject(new SdkAbortError('Request was aborted.')),
        );
      }),
  });
  const price = { input: 1, output: 5, cacheRead: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2 };

  it.each([
    ['a phase timeout', 'timed_out', 5],
    ['Ctrl-C', 'interrupted', 130],
  ])('records %s as %s (exit %d)', async (how, status, exitCode) => {
    const workflow = testWorkflow({
      phases: [phase('research', { timeoutMs: how === 'Ctrl-C' ? 60_000 : 100 })],
    });
    const journal = openJournal({ workspace: workflow.workspace });
    const controller = new AbortController();
    if (how === 'Ctrl-C') setTimeout(() => controller.abort(new InterruptedError()), 100);
    const outcome = await runWorkflow({
      workflow,
      journal,
      task: 't',
      abortSignal: controller.signal,
      resolveModel: (ref) => ({ runtime: 'tool-loop', ref, model: abortingModel(ref), price }),
    });
    await journal.close();
    expect([outcome.status, outcome.exitCode, outcome.phases[0]!.status]).toEqual([status, exitCode, status]);
  });
});

describe('engine failures', () => {
  it('stops and awaits phases running beside one that failed outright, before releasing the lock', async () => {
    const turns = [
      ...Array.from({ length: 10 }, (_, n) => ({ ...toolTurn(n), delayMs: 30 })),
      { text: report('research') },
    ];
    const script = { phases: { a: [{ turns: [{ text: report('research') }] }], b: [{ turns }] } };
    const workflow = testWorkflow({
      phases: [phase('a', { agent: 'research' }), phase('b', { agent: 'research', maxTurns: 20 })],
    });
    const backend = new ScriptedBackend({ script });
    const real = openJournal({ workspace: workflow.workspace });
    const journal = new Proxy(real, {
      get(target, property) {
        if (property === 'appendEvent') {
          return async (event: RunEvent) => {
            if (event.type === 'phase-end' && event.phaseId === 'a') throw new Error('disk full (simulated)');
            await target.appendEvent(event);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Journal;
    const resolveModel = createModelResolver({
      providers: workflow.providers,
      factories: { scripted: (_provider, id) => backend.model(id) },
    });
    let runId = '';
    const error = await runWorkflow({
      workflow,
      journal,
      task: 't',
      tools: [noop],
      resolveModel,
      onEvent: (event) => {
        runId = event.runId;
      },
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('disk full (simulated)');
    const callsAtReturn = backend.calls.length;
    expect(await real.getLockHolder(runId)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(backend.calls.length).toBe(callsAtReturn);
    await real.close();
  });
});

describe('tool calls', () => {
  it('executes every call of a turn even when the server repeats a tool-call id', async () => {
    const executed: unknown[] = [];
    const write: Tool = {
      ...noop,
      name: 'write',
      permission: 'write',
      execute: async (input) => {
        executed.push(input);
        return { output: `wrote ${(input as { path: string }).path}`, isError: false };
      },
    };
    const script = {
      phases: {
        implementation: [
          {
            turns: [
              {
                toolCalls: [
                  { name: 'write', input: { path: 'a.ts' }, id: 'same' },
                  { name: 'write', input: { path: 'b.ts' }, id: 'same' },
                ],
              },
              { text: report('implementation') },
            ],
          },
        ],
      },
    };
    const h = make(testWorkflow({ phases: [phase('implementation')] }), script);
    expect((await h.run({ tools: [write] })).status).toBe('succeeded');
    expect(executed).toEqual([{ path: 'a.ts' }, { path: 'b.ts' }]);
  });
});

describe('the journal keeps each event once', () => {
  it('does not store again the gates, attempts and decisions a resumed run replays', async () => {
    const script: ModelScript = {
      phases: {
        planning: [
          { turns: [{ text: report('planning', ['Handoff']) }] },
          { turns: [{ text: report('planning'), delayMs: 60_000 }] },
        ],
      },
    };
    const h = make(testWorkflow({ phases: [phase('planning')] }), script);
    const controller = new AbortController();
    const first = await h.run({
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'attempt-start' && event.attempt === 2)
          setTimeout(() => controller.abort(new InterruptedError()), 20);
      },
    });
    expect(first.status).toBe('interrupted');
    script.phases.planning![1]!.turns[0]!.delayMs = 0;
    expect((await h.run({ resume: { runId: first.runId } })).status).toBe('succeeded');
    const count = async (type: RunEvent['type']) =>
      (await h.journal.listEvents(first.runId)).filter((event) => event.type === type).length;
    expect([await count('gate-end'), await count('escalation-end'), await count('attempt-start')]).toEqual([
      2, 1, 2,
    ]);
    expect(h.events.some((event) => event.replayed === true && event.type === 'gate-end')).toBe(true);
  });
});
