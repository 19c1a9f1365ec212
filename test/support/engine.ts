/** Runs a workflow in-process against a real SQLite journal and a scripted model, collecting events. */
import { afterEach } from 'vitest';
import type { ResolvedWorkflow } from '../../src/config/types.js';
import type { RunEvent } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import type { Journal } from '../../src/journal/journal.js';
import { type RunWorkflowOptions, runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { createModelResolver } from '../../src/provider/resolver.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import { ScriptedBackend } from '../../src/testing/scripted-model.js';

export interface EngineHarness {
  workflow: ResolvedWorkflow;
  backend: ScriptedBackend;
  journal: Journal;
  events: RunEvent[];
  run(options?: Partial<RunWorkflowOptions>): ReturnType<typeof runWorkflow>;
  close(): void;
}

export function harness(workflow: ResolvedWorkflow, script: ModelScript, latencyMs = 0): EngineHarness {
  const backend = new ScriptedBackend({ script, latencyMs });
  const journal = openJournal({ workspace: workflow.workspace });
  const events: RunEvent[] = [];
  const resolveModel = createModelResolver({
    providers: workflow.providers,
    factories: { scripted: (_provider, modelId) => backend.model(modelId) },
  });
  return {
    workflow,
    backend,
    journal,
    events,
    run: (options = {}) =>
      runWorkflow({
        workflow,
        journal,
        resolveModel,
        task: 'test task',
        onEvent: (event) => events.push(event),
        ...options,
      }),
    close: () => journal.close(),
  };
}

/** A script in which every phase answers its report in one turn. */
export function oneTurnScript(reports: Record<string, string>): ModelScript {
  return {
    phases: Object.fromEntries(
      Object.entries(reports).map(([id, text]) => [
        id,
        [{ turns: [{ text, usage: { input: 1_000, output: 500 } }] }],
      ]),
    ),
  };
}

/** A harness factory whose harnesses are closed after each test of the file that calls it. */
export function harnessesClosedAfterEach(): (...args: Parameters<typeof harness>) => EngineHarness {
  let open: EngineHarness[] = [];
  afterEach(() => {
    for (const h of open) h.close();
    open = [];
  });
  return (...args) => {
    const h = harness(...args);
    open.push(h);
    return h;
  };
}
