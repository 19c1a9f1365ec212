/**
 * Records one real run for the one-figure test: the demo's five phases (a gate failure and retry in planning, an
 * escalation from sonnet to opus in implementation, a review-loop round) through the real Anthropic client and
 * the fake LLM server, plus a 429 with `retry-after: 1` on research's first call, and a side phase (`notes`)
 * whose only call fails mid-stream after the provider had counted its tokens.
 *
 * `model-call-retry` and `attempt-end` are emitted by the provider and phase layers (other parts of issue 12);
 * until they are, this run emits them through the engine's own emitter path (`createEmitter`: journal, then the
 * sink) — only when the engine has not emitted one for that call or attempt itself.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitExample, DEMO_KEY, DEMO_KEY_ENV, demoConfig } from '../../src/cli/commands/demo.js';
import { cliRunParts } from '../../src/cli/run-parts.js';
import { loadWorkflow } from '../../src/config/load-workflow.js';
import type { ResolvedWorkflow } from '../../src/config/types.js';
import type { RunEvent } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import { createEmitter } from '../../src/orchestrator/event-emitter.js';
import { runWorkflow } from '../../src/orchestrator/run-workflow.js';
import { type FakeLlmScript, loadFakeLlmScript, startFakeLlmServer } from '../../src/testing/index.js';
import { systemClock } from '../../src/util/clock.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface RecordedRun {
  workspace: string;
  runId: string;
  /** The events as the engine handed them to its listener, in order (what a live renderer is fed). */
  events: RunEvent[];
  /** How many 429s the fake server sent. */
  rateLimited: number;
  /**
   * Whether this run made up planning's first attempt-end (stopped by its turn cap) because the engine emits none
   * yet; once the phase layer emits attempt-end itself, every attempt here simply answered.
   */
  madeUpStop: boolean;
}

export const NOTES_PROMPT = 'You are the notes agent: list open questions about the task.';

function script(): FakeLlmScript {
  const demo = loadFakeLlmScript(join(examples, 'demo', 'script.yaml'));
  const research = demo.conversations.find((conversation) => conversation.name === 'research')!;
  research.turns[0] = {
    ...research.turns[0]!,
    faults: [{ fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, times: 1 }],
  };
  const notes = {
    name: 'notes',
    match: ['You are the notes agent'],
    // Four events in (message_start has counted the input): the stream then fails, and is not retried.
    turns: [
      {
        text: '## Notes\n'.repeat(40),
        faults: [{ fault: { kind: 'stream-error' as const, afterEvents: 4 } }],
      },
    ],
  };
  return { conversations: [notes, ...demo.conversations] };
}

function withNotesPhase(workflow: ResolvedWorkflow): ResolvedWorkflow {
  const research = workflow.phases.find((phase) => phase.id === 'research')!;
  return {
    ...workflow,
    agents: {
      ...workflow.agents,
      notes: {
        ...workflow.agents.research!,
        name: 'notes',
        builtin: false,
        prompt: NOTES_PROMPT,
        deliverables: ['Notes'],
      },
    },
    phases: [
      ...workflow.phases,
      { ...research, id: 'notes', agent: 'notes', dependsOn: [], costLimitUsd: 0.05 },
    ],
  };
}

export async function recordRun(): Promise<RecordedRun> {
  const server = await startFakeLlmServer({ script: script(), apiKey: DEMO_KEY });
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-one-figure-'));
  cpSync(join(examples, 'auth-service'), workspace, { recursive: true });
  cpSync(join(examples, 'demo', 'TASK.md'), join(workspace, 'TASK.md'));
  writeFileSync(join(workspace, 'phasewise.yaml'), demoConfig(server.anthropicBaseUrl));
  commitExample(workspace);
  process.env[DEMO_KEY_ENV] = DEMO_KEY;
  const workflow = withNotesPhase(loadWorkflow({ cwd: workspace, configFile: 'phasewise.yaml' }));
  const journal = openJournal({ workspace });
  const events: RunEvent[] = [];
  let emit: ReturnType<typeof createEmitter> | undefined;
  const seen = new Set<string>();
  let madeUpStop = false;
  const turns = new Map<string, number>();
  const onEvent = (event: RunEvent) => {
    events.push(event);
    if (event.type === 'run-start')
      emit = createEmitter({ runId: event.runId, journal, clock: systemClock, sink: (e) => events.push(e) });
    if (event.type === 'model-call-retry') seen.add(`retry ${event.phaseId} ${event.attempt} ${event.turn}`);
    if (event.type === 'attempt-end') seen.add(`end ${event.phaseId} ${event.attempt}`);
    if (event.type === 'model-call-end') {
      const key = `${event.phaseId} ${event.attempt}`;
      turns.set(key, (turns.get(key) ?? 0) + 1);
      const first = event.phaseId === 'research' && event.attempt === 1 && event.turn === 1;
      if (first && !seen.has(`retry research 1 1`)) {
        emit?.emit({
          type: 'model-call-retry',
          ...{ phaseId: 'research', attempt: 1, turn: 1, provider: 'demo', model: event.model },
          ...{ try: 1, maxTries: 4, waitMs: 1_000, reason: 'rate limited by demo (HTTP 429)', status: 429 },
        });
      }
    }
    if (event.type === 'gate-end' && !seen.has(`end ${event.phaseId} ${event.attempt}`)) {
      // Planning's first attempt stands for one whose agent was stopped rather than answering.
      const stopped = event.phaseId === 'planning' && event.attempt === 1;
      madeUpStop ||= stopped;
      emit?.emit({
        type: 'attempt-end',
        phaseId: event.phaseId,
        attempt: event.attempt,
        turns: turns.get(`${event.phaseId} ${event.attempt}`) ?? 0,
        stopReason: stopped ? 'max-turns' : 'answered',
        detail: stopped ? 'the turn cap was reached' : null,
      });
    }
  };
  try {
    const outcome = await runWorkflow({
      workflow,
      journal,
      ...cliRunParts(workflow),
      task: readFileSync(join(workspace, 'TASK.md'), 'utf8'),
      onEvent,
    });
    // The made-up events are stored before the journal closes.
    await emit?.settled();
    const rateLimited = server.requests.filter((request) => request.fault === 'status 429').length;
    return { workspace, runId: outcome.runId, events, rateLimited, madeUpStop };
  } finally {
    await journal.close();
    await server.close();
  }
}
