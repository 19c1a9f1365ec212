/**
 * A collector that is down or never answers costs the run a warning, once, and at most the close timeout: the
 * real SDK and exporter against a closed port on 127.0.0.1 and a server that accepts and never responds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/index.js';
import { startTelemetry } from '../../src/telemetry/index.js';

const silent: Server = createServer(() => undefined);
afterAll(() => {
  silent.closeAllConnections();
  return new Promise<void>((resolve) => silent.close(() => resolve()));
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const events = (runId: string): RunEvent[] => [
  {
    runId,
    at: new Date().toISOString(),
    type: 'run-start',
    resumed: false,
    workspace: '/w',
    task: 't',
    budgetUsd: 1,
    phases: [],
  },
  {
    runId,
    at: new Date().toISOString(),
    type: 'run-end',
    status: 'succeeded',
    costUsd: 0,
    durationMs: 1,
    exitCode: 0,
    message: null,
  },
];

async function traceTo(url: string): Promise<{ warnings: string[]; closeMs: number }> {
  const warnings: string[] = [];
  const session = await startTelemetry({
    settings: { tracesUrl: url, headers: {}, serviceName: 'test', includePrompts: false },
    version: '0.0.0',
    warn: (line) => warnings.push(line),
    exportTimeoutMs: 500,
  });
  for (let run = 0; run < 3; run += 1) for (const event of events(`run-${run}`)) session.onEvent(event);
  const started = Date.now();
  await session.close(1_500);
  return { warnings, closeMs: Date.now() - started };
}

describe('an unreachable collector', () => {
  it('refusing connections: one warning naming the URL, and the close returns at once', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1/traces`;
    const { warnings, closeMs } = await traceTo(url);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`traces could not be sent to ${url}`);
    expect(closeMs).toBeLessThan(1_600);
  });

  it('never answering: the close gives up within its timeout', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const { closeMs } = await traceTo(`http://127.0.0.1:${port}/v1/traces`);
    expect(closeMs).toBeLessThan(1_700);
  });
});
