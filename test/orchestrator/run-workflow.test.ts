import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigChangedError, InterruptedError, RunLockedError } from '../../src/errors/index.js';
import { harnessesClosedAfterEach, oneTurnScript } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const ids = ['research', 'planning', 'implementation', 'review', 'verification'];
const allReports = () => Object.fromEntries(ids.map((id) => [id, report(id)]));
const make = harnessesClosedAfterEach();

describe('a five-phase run', () => {
  it('completes in dependency order, writes reports and journal, and hands each phase its upstream handoff', async () => {
    const h = make(testWorkflow(), oneTurnScript(allReports()));
    const outcome = await h.run();
    expect(outcome.status).toBe('succeeded');
    expect(outcome.exitCode).toBe(0);
    expect(h.backend.calls.map((call) => call.phaseId)).toEqual(ids);
    for (const id of ids) {
      const path = join(h.workflow.workspace, '.phasewise', 'runs', outcome.runId, id, 'report.md');
      expect(readFileSync(path, 'utf8')).toBe(report(id));
    }
    const planningPrompt = JSON.stringify(h.backend.calls[1]!.request.messages);
    expect(planningPrompt).toContain('handoff from research');
    expect(planningPrompt).toContain('research: handoff notes.');
    expect(planningPrompt).not.toContain('implementation: handoff notes.');
    const run = (await h.journal.getRun(outcome.runId))!;
    expect(run.status).toBe('succeeded');
    expect(run.costUsd).toBeCloseTo(outcome.costUsd, 10);
    expect(h.events[0]!.type).toBe('run-start');
    expect(h.events.at(-1)!.type).toBe('run-end');
    expect((await h.journal.listEvents(outcome.runId)).map((event) => event.type)).toEqual(
      h.events.map((event) => event.type),
    );
  });

  it('charges what the usage reports at the model price', async () => {
    const h = make(
      testWorkflow({ phases: [phase('research')] }),
      oneTurnScript({ research: report('research') }),
    );
    const outcome = await h.run();
    // 1,000 input at $1/M + 500 output at $5/M
    expect(outcome.costUsd).toBeCloseTo(0.0035, 10);
  });
});

describe('verification decides', () => {
  it.each([
    ['**Go**: every check passed.', 'succeeded', 0],
    ['**No-go**: the test suite fails on main.', 'no_go', 3],
  ])('a verification report saying %j ends the run %s (exit %d)', async (verdict, status, exitCode) => {
    const verification = `${report('verification')}\n\n## Go/no-go\n${verdict}`;
    const h = make(testWorkflow(), oneTurnScript({ ...allReports(), verification }));
    const outcome = await h.run();
    expect([outcome.status, outcome.exitCode]).toEqual([status, exitCode]);
  });
});

describe('a phase playing verification', () => {
  it('decides the run when its agent extends verification under another name', async () => {
    const base = testWorkflow();
    const qa = { ...base.agents.verification!, name: 'qa', builtin: false, role: 'verification' as const };
    const workflow = testWorkflow({
      agents: { ...base.agents, qa },
      phases: [phase('checks', { agent: 'qa' })],
    });
    const verdict = `${report('verification')}\n\n## Go/no-go\n**No-go**: the suite fails.`;
    const h = make(workflow, oneTurnScript({ checks: verdict }));
    const outcome = await h.run();
    expect([outcome.status, outcome.exitCode]).toEqual(['no_go', 3]);
  });
});

describe('model: auto', () => {
  it.each([
    ['Fix a typo in the README', 'small'],
    ['Design a zero-downtime migration of payment auth across regions for production customers', 'large'],
  ])('assesses %j and starts on %s, journaling the signals', async (task, tier) => {
    const workflow = testWorkflow({ phases: [phase('implementation', { model: { kind: 'auto' } })] });
    const h = make(workflow, oneTurnScript({ implementation: report('implementation') }));
    const outcome = await h.run({ task });
    expect(h.backend.calls.map((call) => call.modelId)).toEqual([tier]);
    const [choice] = (await h.journal.listSteps(outcome.runId)).filter(
      (step) => step.kind === 'model-choice',
    );
    expect(choice!.result).toMatchObject({ tier, version: expect.any(String) });
    expect((choice!.result as { signals: unknown[] }).signals.length).toBeGreaterThan(3);
  });
});

describe('usage', () => {
  it('charges an estimate when the provider reports no usage at all, and says so', async () => {
    const script = {
      phases: { research: [{ turns: [{ text: report('research'), usage: { input: 0, output: 0 } }] }] },
    };
    const h = make(testWorkflow({ phases: [phase('research')] }), script);
    const outcome = await h.run();
    expect(outcome.costUsd).toBeGreaterThan(0);
    const [step] = (await h.journal.listSteps(outcome.runId)).filter((entry) => entry.kind === 'model');
    expect(step!.result).toMatchObject({ usageEstimated: true });
  });
});

describe('gates and escalation', () => {
  it('retries with the failed checks as feedback, then passes', async () => {
    const script = oneTurnScript(allReports());
    script.phases.planning = [
      { turns: [{ text: report('planning', ['Architecture', 'Handoff']) }] },
      { turns: [{ text: report('planning') }] },
    ];
    const h = make(testWorkflow(), script);
    const outcome = await h.run();
    expect(outcome.status).toBe('succeeded');
    const planning = h.backend.calls.filter((call) => call.phaseId === 'planning');
    expect(planning.map((call) => [call.attempt, call.modelId])).toEqual([
      [1, 'small'],
      [2, 'small'],
    ]);
    const retryPrompt = JSON.stringify(planning[1]!.request.messages);
    expect(retryPrompt).toContain('did not pass the quality gate');
    expect(retryPrompt).toContain('\\"Risks\\"');
    const gates = h.events.filter((event) => event.type === 'gate-end' && event.phaseId === 'planning');
    expect(gates.map((event) => event.type === 'gate-end' && event.passed)).toEqual([false, true]);
  });

  it('escalates to the next tier, and halts (exit 3) when the ladder says so', async () => {
    const workflow = testWorkflow({ phases: [phase('planning', { escalation: ['escalate', 'halt'] })] });
    const h = make(workflow, { phases: { planning: [{ turns: [{ text: 'no sections at all' }] }] } });
    const outcome = await h.run();
    expect(h.backend.calls.map((call) => call.modelId)).toEqual(['small', 'medium']);
    expect(outcome.status).toBe('halted');
    expect(outcome.exitCode).toBe(3);
    const decisions = h.events.filter((event) => event.type === 'escalation-end');
    expect(decisions.map((event) => event.type === 'escalation-end' && event.action)).toEqual([
      'escalate',
      'halt',
    ]);
  });

  it('skips a retry the phase cannot afford and says why', async () => {
    const workflow = testWorkflow({
      phases: [phase('research', { costLimitUsd: 0.01, escalation: ['retry', 'halt'] })],
    });
    const h = make(workflow, {
      phases: { research: [{ turns: [{ text: 'nothing', usage: { input: 4_000, output: 1_000 } }] }] },
    });
    const outcome = await h.run();
    expect(h.backend.calls).toHaveLength(1);
    expect(outcome.status).toBe('halted');
    const decision = h.events.find((event) => event.type === 'escalation-end');
    expect(decision?.type === 'escalation-end' && decision.reason).toMatch(
      /retry skipped: it would cost about \$0\.0090/,
    );
  });
});

describe('limits', () => {
  it('stops a phase whose next call cannot fit its cost limit (exit 4), overshooting by at most one reservation', async () => {
    const workflow = testWorkflow({
      phases: [phase('research', { costLimitUsd: 0.004, maxOutputTokens: 500 })],
    });
    const turn = (index: number) => ({
      toolCalls: [{ name: 'read', input: { index } }],
      usage: { output: 400 },
    });
    const h = make(workflow, {
      phases: { research: [{ turns: Array.from({ length: 9 }, (_, index) => turn(index)) }] },
    });
    const outcome = await h.run();
    expect(outcome.status).toBe('budget_exceeded');
    expect(outcome.exitCode).toBe(4);
    expect(outcome.costUsd).toBeLessThanOrEqual(0.004);
    expect(h.backend.calls.length).toBeGreaterThan(0);
  });

  it('times a phase out (exit 5) and really cancels the model call in flight', async () => {
    const workflow = testWorkflow({ phases: [phase('research', { timeoutMs: 100 })] });
    const h = make(workflow, { phases: { research: [{ turns: [{ hang: true }] }] } });
    const started = Date.now();
    const outcome = await h.run();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome.status).toBe('timed_out');
    expect(outcome.exitCode).toBe(5);
    expect(outcome.phases[0]!.status).toBe('timed_out');
  });

  it('ends the run at its deadline (exit 5), cancelling the phase in flight', async () => {
    const workflow = testWorkflow({ deadlineMs: 100, phases: [phase('research')] });
    const h = make(workflow, { phases: { research: [{ turns: [{ hang: true }] }] } });
    const started = Date.now();
    const outcome = await h.run();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect([outcome.status, outcome.exitCode]).toEqual(['timed_out', 5]);
    expect(outcome.message).toContain('run deadline');
  });

  it('runs independent phases side by side, no more than `concurrency` at once', async () => {
    const parallel = ['a', 'b', 'c'].map((id) => phase(id, { agent: 'research' }));
    const reports = Object.fromEntries(['a', 'b', 'c'].map((id) => [id, report('research')]));
    for (const concurrency of [1, 2]) {
      const h = make(testWorkflow({ phases: parallel, concurrency }), oneTurnScript(reports), 50);
      let running = 0;
      let peak = 0;
      await h.run({
        onEvent: (event) => {
          if (event.type === 'phase-start') peak = Math.max(peak, ++running);
          if (event.type === 'phase-end') running -= 1;
        },
      });
      expect(peak).toBe(concurrency);
    }
  });
});

describe('resume', () => {
  it('continues an interrupted run without calling the model again for completed steps', async () => {
    const h = make(testWorkflow(), oneTurnScript(allReports()), 30);
    const controller = new AbortController();
    const first = await h.run({
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'phase-end' && event.phaseId === 'planning')
          controller.abort(new InterruptedError());
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.exitCode).toBe(130);
    const callsBefore = h.backend.calls.length;
    expect(callsBefore).toBeGreaterThanOrEqual(2);
    const resumed = await h.run({ resume: { runId: first.runId } });
    expect(resumed.status).toBe('succeeded');
    const phasesCalledAgain = h.backend.calls.slice(callsBefore).map((call) => call.phaseId);
    expect(phasesCalledAgain).not.toContain('research');
    expect(phasesCalledAgain).not.toContain('planning');
    expect(h.backend.calls).toHaveLength(5);
    expect(resumed.costUsd).toBeCloseTo((await h.journal.getRun(first.runId))!.costUsd, 10);
  });

  it('replays a finished run to the same result with no model call', async () => {
    const h = make(testWorkflow(), oneTurnScript(allReports()));
    const first = await h.run();
    const again = await h.run({ resume: { runId: first.runId } });
    expect(h.backend.calls).toHaveLength(5);
    expect([again.status, again.exitCode]).toEqual([first.status, first.exitCode]);
    expect(again.costUsd).toBeCloseTo(first.costUsd, 10);
  });

  it('refuses a changed configuration unless forced, naming what changed', async () => {
    const h = make(testWorkflow(), oneTurnScript(allReports()));
    const first = await h.run();
    const changed = { ...h.workflow, budgetUsd: 3 };
    const error = await h
      .run({ workflow: changed, resume: { runId: first.runId } })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ConfigChangedError);
    expect((error as ConfigChangedError).changes).toEqual(['budgetUsd: 10 → 3']);
    expect((error as ConfigChangedError).exitCode).toBe(2);
    const forced = await h.run({ workflow: changed, resume: { runId: first.runId, force: true } });
    expect(forced.status).toBe('succeeded');
  });

  it('lets only one resume of a run proceed at a time', async () => {
    const h = make(testWorkflow(), oneTurnScript(allReports()), 50);
    const controller = new AbortController();
    const first = await h.run({
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'phase-end') controller.abort(new InterruptedError());
      },
    });
    const resuming = h.run({ resume: { runId: first.runId } });
    const second = await h.run({ resume: { runId: first.runId } }).catch((caught) => caught);
    expect(second).toBeInstanceOf(RunLockedError);
    expect((second as RunLockedError).holder.pid).toBe(process.pid);
    expect((await resuming).status).toBe('succeeded');
  });
});

describe('tools', () => {
  it('journals tool calls so a resumed run does not execute them again', async () => {
    let executions = 0;
    const tool = {
      name: 'touch',
      description: 'creates a marker file',
      inputSchema: { type: 'object' },
      permission: 'write' as const,
      execute: async () => {
        executions += 1;
        return { output: 'done', isError: false };
      },
    };
    const workflow = testWorkflow({ phases: [phase('implementation')] });
    const script = {
      phases: {
        implementation: [
          {
            turns: [
              { toolCalls: [{ name: 'touch', input: {} }] },
              { text: report('implementation'), delayMs: 10_000 },
            ],
          },
        ],
      },
    };
    const h = make(workflow, script);
    const controller = new AbortController();
    const first = await h.run({
      tools: [tool],
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'tool-call-end') setTimeout(() => controller.abort(new InterruptedError()), 20);
      },
    });
    expect(first.status).toBe('interrupted');
    expect(executions).toBe(1);
    script.phases.implementation[0]!.turns[1]!.delayMs = 0;
    const resumed = await h.run({ tools: [tool], resume: { runId: first.runId } });
    expect(resumed.status).toBe('succeeded');
    expect(executions).toBe(1);
    expect(
      existsSync(join(workflow.workspace, '.phasewise', 'runs', first.runId, 'implementation', 'report.md')),
    ).toBe(true);
  });
});

describe("gates' command checks", () => {
  it('run with the environment the caller gives, so a key variable with an innocent name stays out', async () => {
    process.env.PHASEWISE_TEST_VENDOR_LOGIN = 'vendor-login-value';
    try {
      const checks = [
        { kind: 'sections' as const, name: 'sections', weight: 0.5, required: false },
        {
          kind: 'command' as const,
          name: 'no-key',
          weight: 0.5,
          required: true,
          command: 'test -z "$PHASEWISE_TEST_VENDOR_LOGIN"',
          timeoutMs: 10_000,
          expectExit: 0,
        },
      ];
      const workflow = () =>
        testWorkflow({
          phases: [phase('research', { gate: { threshold: 0.9, checks }, escalation: ['halt'] })],
        });
      const script = oneTurnScript({ research: report('research') });
      const { PHASEWISE_TEST_VENDOR_LOGIN: _hidden, ...commandEnv } = process.env;
      const withEnv = await make(workflow(), script).run({ commandEnv });
      expect(withEnv.status).toBe('succeeded');
      // The name does not look secret: without the caller's environment the command sees it.
      const without = await make(workflow(), script).run();
      expect(without.status).toBe('halted');
    } finally {
      delete process.env.PHASEWISE_TEST_VENDOR_LOGIN;
    }
  });
});
