/**
 * A bug thrown inside a phase — here a TypeError in a model adapter — is not how the phase ended: the run fails
 * as an engine failure (its other phases stopped and awaited, its lock released), where a failure of the work
 * itself (the same adapter throwing an ordinary error) ends the phase `failed` and the run reaches its verdict.
 */
import { describe, expect, it } from 'vitest';
import type { LanguageModel } from '../../src/provider/model.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import type { ScriptedBackend } from '../../src/testing/scripted-model.js';
import { harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

/** The scripted model, except that `planning`'s calls run `broken` instead of answering. */
function brokenFor(backend: ScriptedBackend, broken: () => never) {
  return createModelResolver({
    providers: workflow().providers,
    factories: {
      scripted: (_provider, modelId): LanguageModel => {
        const model = backend.model(modelId);
        return {
          ...model,
          generate: async (request) =>
            request.metadata.phaseId === 'planning' ? broken() : model.generate(request),
        };
      },
    },
  });
}

function workflow() {
  return testWorkflow({ phases: [phase('research'), phase('planning', { escalation: ['halt'] })] });
}

function harnessWithHangingResearch() {
  return make(workflow(), {
    phases: {
      // Still running when planning breaks: it must be stopped, not left calling its model.
      research: [{ turns: [{ hang: true }] }],
      planning: [{ turns: [{ text: report('planning') }] }],
    },
  });
}

describe('an error thrown inside a phase', () => {
  it('that is a bug fails the run as an engine failure, not as a failed phase', async () => {
    const h = harnessWithHangingResearch();
    const adapterBug = () => {
      const body = undefined as unknown as { content: string };
      return body.content as never;
    };
    const thrown = await h.run({ resolveModel: brokenFor(h.backend, adapterBug) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(/reading 'content'/);
    // Neither phase ended with an outcome: the bug is not a `failed` planning, and research was stopped.
    expect(h.events.filter((event) => event.type === 'phase-end')).toEqual([]);
    expect(h.events.some((event) => event.type === 'run-end')).toBe(false);
    const [run] = await h.journal.listRuns();
    expect(await h.journal.getLockHolder(run!.runId)).toBeUndefined();
  });

  it('that is a failure of the work ends the phase failed, and the run with its verdict', async () => {
    const h = make(workflow(), {
      phases: {
        research: [{ turns: [{ text: report('research') }] }],
        planning: [{ turns: [{ text: report('planning') }] }],
      },
    });
    const adapterFailure = (): never => {
      throw new Error('the adapter could not read the answer');
    };
    const outcome = await h.run({ resolveModel: brokenFor(h.backend, adapterFailure) });
    expect(outcome.status).toBe('failed');
    const planning = outcome.phases.find((entry) => entry.phaseId === 'planning')!;
    expect([planning.status, planning.message]).toEqual(['failed', 'the adapter could not read the answer']);
    expect(
      h.events
        .filter((event) => event.type === 'phase-end')
        .map((event) => event.phaseId)
        .sort(),
    ).toEqual(['planning', 'research']);
  });
});
