/**
 * The traces of `phasewise demo` as a collector receives them: the real CLI in a subprocess exporting over
 * OTLP/HTTP to a receiver on 127.0.0.1. The span tree, the GenAI attributes, tokens and cost equal to the
 * journal's, and nothing secret or prompt-like in any of it (a fake key planted in the environment).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/index.js';
import { openJournal } from '../../src/journal/index.js';
import { runSpanId, runTraceId } from '../../src/telemetry/index.js';
import { startCli } from '../support/cli.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const PLANTED_KEY = 'sk-ant-api03-plantedFAKEkeyForTelemetryTest0123456789abcdefABCDEF-xyzAA';
const task = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo', 'TASK.md'), 'utf8');

let receiver: OtlpReceiver;
let demo: { code: number | null; stderr: string };
let events: RunEvent[];
let runId: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const dir = join(mkdtempSync(join(tmpdir(), 'phasewise-otel-demo-')), 'demo');
  demo = await startCli(['demo', '--dir', dir, '--latency', '0'], {
    cwd: tmpdir(),
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-test-tenant=demo',
      OTEL_SERVICE_NAME: 'phasewise-test',
      PLANTED_API_KEY: PLANTED_KEY,
    },
  }).done;
  const journal = openJournal({ workspace: dir });
  try {
    const [run] = await journal.listRuns();
    runId = run!.runId;
    events = await journal.listEvents(runId);
  } finally {
    await journal.close();
  }
}, 180_000);

afterAll(() => receiver.close());

const named = (prefix: string) => receiver.spans.filter((span) => span.name.startsWith(prefix));
const byId = (id: string | undefined) => receiver.spans.find((span) => span.spanId === id);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The span tree as indented names, for the closing note and for reading a failure. */
function tree(span: ReceivedSpan, depth = 0): string[] {
  const children = receiver.spans
    .filter((child) => child.parentSpanId === span.spanId)
    .sort((a, b) => a.startMs - b.startMs);
  return [`${'  '.repeat(depth)}${span.name}`, ...children.flatMap((child) => tree(child, depth + 1))];
}

describe('the demo run as OpenTelemetry traces', () => {
  it('exports one trace whose root is the run, with the run id deriving its ids, and the service name', () => {
    expect(demo.code, demo.stderr).toBe(0);
    const [run, ...others] = named('phasewise run');
    expect(others).toEqual([]);
    expect(run!.parentSpanId).toBeUndefined();
    expect(run!.traceId).toBe(runTraceId(runId));
    expect(run!.spanId).toBe(runSpanId(runId));
    expect(new Set(receiver.spans.map((span) => span.traceId))).toEqual(new Set([run!.traceId]));
    expect(run!.service).toBe('phasewise-test');
    expect(run!.attributes).toMatchObject({ 'phasewise.run.id': runId, 'phasewise.status': 'succeeded' });
    expect(receiver.headers[0]!['x-test-tenant']).toBe('demo');
    // The closing note's span tree of the demo, kept as a test artifact.
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'demo-span-tree.txt'), `${tree(run!).join('\n')}\n`);
  });

  it('nests phases under the run, fan-out items under their phase, attempts, model calls, tools and gates under them', () => {
    const run = named('phasewise run')[0]!;
    const phases = named('phase ');
    expect(phases.map((span) => span.name).sort()).toEqual(
      [
        ...new Set(
          events.flatMap((event) => (event.type === 'phase-start' ? [`phase ${event.phaseId}`] : [])),
        ),
      ].sort(),
    );
    for (const phase of phases) expect(phase.parentSpanId).toBe(run.spanId);
    const items = named('item ');
    expect(items.map((span) => span.attributes['phasewise.item.id']).sort()).toEqual([
      'http',
      'refresh-store',
      'tokens',
    ]);
    for (const item of items) expect(byId(item.parentSpanId)?.name).toBe('phase implementation');
    for (const attempt of named('attempt '))
      expect(byId(attempt.parentSpanId)?.name).toMatch(/^(phase|item) /);
    for (const call of [...named('chat '), ...named('execute_tool '), ...named('gate ')]) {
      expect(byId(call.parentSpanId)?.name, call.name).toMatch(/^attempt /);
    }
    // Times come from the events: every child lies within the run.
    for (const span of receiver.spans) {
      expect(span.startMs).toBeGreaterThanOrEqual(run.startMs);
      expect(span.endMs).toBeLessThanOrEqual(run.endMs);
    }
  });

  it('gives each model call the GenAI attributes, and tokens and cost that add up to the journal’s', () => {
    const calls = named('chat ');
    const ends = events.filter((event) => event.type === 'model-call-end');
    expect(calls).toHaveLength(ends.length);
    for (const call of calls) {
      expect(call.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.system': 'anthropic',
      });
      expect(call.attributes['gen_ai.request.model']).toEqual(expect.any(String));
      expect(call.attributes['gen_ai.response.model']).toEqual(expect.any(String));
    }
    const attribute = (name: string) => sum(calls.map((call) => Number(call.attributes[name] ?? 0)));
    const tokens = (pick: (t: (typeof ends)[number]['tokens']) => number) =>
      sum(ends.map((event) => (event.type === 'model-call-end' ? pick(event.tokens) : 0)));
    expect(attribute('gen_ai.usage.output_tokens')).toBe(tokens((t) => t.output));
    expect(attribute('gen_ai.usage.input_tokens')).toBe(
      tokens((t) => t.inputNoCache + t.cacheRead + t.cacheWrite),
    );
    expect(attribute('gen_ai.usage.cache_read.input_tokens')).toBe(tokens((t) => t.cacheRead));
    expect(attribute('gen_ai.usage.cache_creation.input_tokens')).toBe(tokens((t) => t.cacheWrite));
    const runEnd = events.find((event) => event.type === 'run-end');
    expect(runEnd?.type === 'run-end' && runEnd.costUsd).toBeGreaterThan(0);
    expect(attribute('phasewise.cost.usd')).toBeCloseTo(runEnd?.type === 'run-end' ? runEnd.costUsd : -1, 9);
    expect(named('phasewise run')[0]!.attributes['phasewise.cost.usd']).toBe(
      runEnd?.type === 'run-end' && runEnd.costUsd,
    );
  });

  it('gives tool calls execute_tool and their name, and gates their score against the threshold', () => {
    const tools = named('execute_tool ');
    expect(tools.length).toBe(events.filter((event) => event.type === 'tool-call').length);
    for (const tool of tools) {
      expect(tool.attributes['gen_ai.operation.name']).toBe('execute_tool');
      expect(tool.name).toBe(`execute_tool ${tool.attributes['gen_ai.tool.name']}`);
    }
    const gates = named('gate ');
    const gateEnds = events.filter((event) => event.type === 'gate-end');
    expect(gates).toHaveLength(gateEnds.length);
    const planning = gates
      .filter((gate) => gate.name === 'gate planning')
      .sort((a, b) => a.startMs - b.startMs)
      .map((gate) => gate.attributes['phasewise.gate.passed']);
    expect(planning).toEqual([false, true]);
    for (const gate of gates) {
      expect(gate.attributes['phasewise.gate.score']).toEqual(expect.any(Number));
      expect(gate.attributes['phasewise.gate.threshold']).toEqual(expect.any(Number));
    }
  });

  it('puts no secret, task or file content in any span, attribute or event', () => {
    const everything = receiver.bodies.join('\n');
    expect(everything).not.toContain(PLANTED_KEY);
    expect(everything).not.toContain('demo-key-for-the-local-fake-server');
    // The task's lines, and the prompt text that would carry them.
    for (const line of task.split('\n').filter((text) => text.length > 30)) {
      expect(everything).not.toContain(line.slice(0, 40));
    }
    const keys = new Set(receiver.spans.flatMap((span) => Object.keys(span.attributes)));
    expect([...keys].filter((key) => /prompt|task|summary|content/.test(key))).toEqual([]);
  });
});
