/**
 * The span tree from hand-written events, through the real SDK into its in-memory exporter: a resume's run span
 * in the run's trace linked to the first run span, prompts only on opt-in and redacted, spans left open by an
 * interrupted run ended with an error, and replayed work not traced twice.
 */
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/index.js';
import { noTokens } from '../../src/events/index.js';
import { runSpanId, runTraceId } from '../../src/telemetry/index.js';
import { PresetIdGenerator } from '../../src/telemetry/preset-id-generator.js';
import { createSpanTree } from '../../src/telemetry/span-tree.js';
import { createRedactor } from '../../src/util/redact.js';

const FAKE_KEY = 'sk-ant-api03-fakeKEYplantedInTheTask0123456789abcdefABCDEFghij-klmAA';

function traced(
  events: RunEvent[],
  options: { includePrompts?: boolean; end?: boolean } = {},
): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const ids = new PresetIdGenerator();
  const provider = new TracerProvider({
    idGenerator: ids,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tree = createSpanTree({
    tracer: provider.getTracer('test'),
    presetIds: (preset) => ids.preset(preset),
    includePrompts: options.includePrompts ?? false,
    redactor: createRedactor(),
    providerKinds: { work: 'anthropic' },
  });
  for (const event of events) tree.onEvent(event);
  if (options.end === true) tree.endOpen(new Date('2026-01-01T00:10:00Z'), 'interrupted');
  return exporter.getFinishedSpans();
}

let second = 0;
const at = () => new Date(Date.UTC(2026, 0, 1, 0, 0, second++)).toISOString();
const base = (runId: string) => ({ runId, at: at() });

function runEvents(runId: string, resumed: boolean, replayedFirstTurn: boolean): RunEvent[] {
  second = 0;
  return [
    {
      ...base(runId),
      type: 'run-start',
      resumed,
      workspace: '/w',
      task: `Fix the login. Our key is ${FAKE_KEY}`,
      budgetUsd: 5,
      phases: [{ id: 'build', agent: 'coder', model: 'work:model-a', costLimitUsd: 2, dependsOn: [] }],
    },
    { ...base(runId), type: 'phase-start', phaseId: 'build', resumed },
    {
      ...base(runId),
      type: 'attempt-start',
      phaseId: 'build',
      attempt: 1,
      tier: 'work',
      model: 'work:model-a',
    },
    ...[1, 2].flatMap((turn): RunEvent[] => {
      const replayed = replayedFirstTurn && turn === 1;
      return [
        {
          ...base(runId),
          ...(replayed ? { replayed: true } : {}),
          type: 'model-call-start',
          phaseId: 'build',
          attempt: 1,
          turn,
          model: 'work:model-a',
          reservedUsd: 0.1,
        },
        {
          ...base(runId),
          ...(replayed ? { replayed: true } : {}),
          type: 'model-call-end',
          phaseId: 'build',
          attempt: 1,
          turn,
          model: 'work:model-a-2026',
          tokens: { ...noTokens(), inputNoCache: 100, cacheRead: 50, output: 20 },
          costUsd: 0.01,
          phaseSpentUsd: 0.01 * turn,
          runSpentUsd: 0.01 * turn,
          replayed,
          durationMs: 900,
        },
        {
          ...base(runId),
          ...(replayed ? { replayed: true } : {}),
          type: 'tool-call',
          phaseId: 'build',
          attempt: 1,
          turn,
          tool: 'write',
          summary: `write .env with ${FAKE_KEY}`,
        },
        {
          ...base(runId),
          ...(replayed ? { replayed: true } : {}),
          type: 'tool-call-end',
          phaseId: 'build',
          attempt: 1,
          turn,
          tool: 'write',
          ok: turn === 2,
          replayed,
        },
      ];
    }),
  ];
}

const ending = (runId: string): RunEvent[] => [
  {
    ...base(runId),
    type: 'attempt-end',
    phaseId: 'build',
    attempt: 1,
    turns: 2,
    stopReason: 'answered',
    detail: null,
  },
  {
    ...base(runId),
    type: 'gate-end',
    phaseId: 'build',
    attempt: 1,
    score: 0.9,
    threshold: 0.8,
    passed: true,
    vetoed: false,
    checks: [],
  },
  {
    ...base(runId),
    type: 'phase-end',
    phaseId: 'build',
    status: 'passed',
    attempts: 1,
    tier: 'work',
    model: 'work:model-a',
    costUsd: 0.02,
    gateScore: 0.9,
    threshold: 0.8,
    durationMs: 9000,
    reportPath: null,
    message: null,
  },
  {
    ...base(runId),
    type: 'run-end',
    status: 'succeeded',
    costUsd: 0.02,
    durationMs: 10_000,
    exitCode: 0,
    message: null,
  },
];

const find = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name);

describe('the span tree', () => {
  it('roots a first run at ids derived from the run id, and a resume in the same trace, linked to it', () => {
    const first = traced([...runEvents('r1', false, false), ...ending('r1')]);
    const [run] = find(first, 'phasewise run');
    expect(run!.spanContext()).toMatchObject({ traceId: runTraceId('r1'), spanId: runSpanId('r1') });
    expect(run!.links).toEqual([]);

    const resumed = traced([...runEvents('r1', true, true), ...ending('r1')]);
    const [resume] = find(resumed, 'phasewise resume');
    expect(resume!.spanContext().traceId).toBe(runTraceId('r1'));
    expect(resume!.spanContext().spanId).not.toBe(runSpanId('r1'));
    expect(resume!.links.map((link) => link.context)).toEqual([
      expect.objectContaining({ traceId: runTraceId('r1'), spanId: runSpanId('r1') }),
    ]);
    expect(resume!.attributes['phasewise.run.resumed']).toBe(true);
    // The replayed turn was exported by the first invocation: only turn 2 is traced again.
    expect(find(resumed, 'chat model-a').map((span) => span.attributes['phasewise.turn'])).toEqual([2]);
    expect(find(resumed, 'execute_tool write')).toHaveLength(1);
  });

  it('names the provider by its kind, counts cached input in the input tokens, and marks a failed tool', () => {
    const spans = traced([...runEvents('r2', false, false), ...ending('r2')]);
    const [call] = find(spans, 'chat model-a');
    expect(call!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'phasewise.provider': 'work',
      'gen_ai.request.model': 'model-a',
      'gen_ai.response.model': 'model-a-2026',
      'gen_ai.usage.input_tokens': 150,
      'gen_ai.usage.cache_read.input_tokens': 50,
      'gen_ai.usage.output_tokens': 20,
      'phasewise.cost.usd': 0.01,
    });
    const tools = find(spans, 'execute_tool write');
    expect(tools.map((span) => span.status.code)).toEqual([2, 0]);
    const [gate] = find(spans, 'gate build');
    const [attempt] = find(spans, 'attempt 1');
    expect(gate!.parentSpanContext?.spanId).toBe(attempt!.spanContext().spanId);
  });

  it('keeps the task and tool summaries out by default, and puts them in redacted on opt-in', () => {
    const quiet = traced([...runEvents('r3', false, false), ...ending('r3')]);
    expect(JSON.stringify(quiet.map((span) => span.attributes))).not.toMatch(/login|\.env|sk-ant/);
    const told = traced([...runEvents('r3', false, false), ...ending('r3')], { includePrompts: true });
    const [run] = find(told, 'phasewise run');
    expect(run!.attributes['phasewise.task']).toMatch(/^Fix the login\. Our key is \[REDACTED/);
    expect(JSON.stringify(told.map((span) => span.attributes))).not.toContain(FAKE_KEY);
    expect(find(told, 'execute_tool write')[0]!.attributes['phasewise.tool.summary']).toMatch(
      /^write \.env with \[REDACTED/,
    );
  });

  it('ends what an interrupted run left open with an error status, children before parents', () => {
    const spans = traced(runEvents('r4', false, false), { end: true });
    expect(spans.map((span) => span.name).slice(-3)).toEqual(['attempt 1', 'phase build', 'phasewise run']);
    for (const span of spans.slice(-3)) expect(span.status).toEqual({ code: 2, message: 'interrupted' });
  });
});
