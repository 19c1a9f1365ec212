/**
 * An interrupted run still reaches the collector: `phasewise demo --json` is sent SIGTERM during its first model
 * call; before the process exits, the run's spans arrive, the run span ended and marked as an error.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../support/cli.js';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

let receiver: OtlpReceiver;
let result: { code: number | null; stderr: string };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const dir = join(mkdtempSync(join(tmpdir(), 'phasewise-otel-interrupt-')), 'demo');
  const running = startCli(['demo', '--dir', dir, '--latency', '5000', '--json'], {
    cwd: tmpdir(),
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
  });
  let sent = false;
  running.onLine((line) => {
    if (!sent && line.includes('"type":"model-call-start"')) {
      sent = true;
      running.child.kill('SIGTERM');
    }
  });
  result = await running.done;
}, 120_000);

afterAll(() => receiver.close());

describe('an interrupted run', () => {
  it('flushes its spans before exiting: the run span ended with an error status, the open call under it', () => {
    expect(result.code, result.stderr).toBe(130);
    const run = receiver.spans.find((span) => span.name === 'phasewise run');
    expect(run, result.stderr).toBeDefined();
    expect(run!.attributes['phasewise.status']).toBe('interrupted');
    const phase = receiver.spans.find((span) => span.parentSpanId === run!.spanId);
    expect(phase?.name).toMatch(/^phase /);
    for (const span of receiver.spans) expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
    expect(receiver.spans.filter((span) => span.status.code === 2).length).toBeGreaterThan(0);
  });
});
