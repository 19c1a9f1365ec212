/**
 * Writes a 200 SSE response event by event, with the scripted pause between events, and plays a stream fault at
 * its event: an in-stream error, a destroyed socket (reset) or silence (stall) until the client goes away or the
 * server closes. Nothing is written after the client has gone, and no timer outlives the response.
 */
import type { ServerResponse } from 'node:http';
import type { FakeFault } from './fake-llm-script.js';

export type StreamFault = Exclude<FakeFault, { kind: 'status' }>;

export interface StreamPlan {
  headers: Record<string, string>;
  events: string[];
  delayMs: number;
  fault: StreamFault | undefined;
  /** What a `stream-error` fault writes before ending the stream. */
  errorEvents: string[];
}

/** A signal that aborts when the response's connection closes (client abort, reset, server close). */
export function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

/** Waits `ms`, or less when `signal` aborts first; never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => res.write(chunk, () => resolve()));
}

/** Resolves true when the whole answer was written (no fault, client still there). */
export async function writeStream(
  res: ServerResponse,
  plan: StreamPlan,
  closed: AbortSignal,
): Promise<boolean> {
  res.writeHead(200, plan.headers);
  res.flushHeaders();
  const cut =
    plan.fault === undefined ? plan.events.length : Math.min(plan.fault.afterEvents, plan.events.length);
  for (let index = 0; index < cut; index++) {
    if (index > 0) await pause(plan.delayMs, closed);
    if (closed.aborted) return false;
    await write(res, plan.events[index]!);
  }
  if (closed.aborted) return false;
  switch (plan.fault?.kind) {
    case undefined:
      res.end();
      return true;
    case 'stream-error':
      await pause(plan.delayMs, closed);
      for (const event of plan.errorEvents) if (!closed.aborted) await write(res, event);
      res.end();
      return false;
    case 'truncate':
      res.end();
      return false;
    case 'reset':
      // The events written so far have been handed to the kernel (write callbacks ran), so the client sees them
      // before the connection drops without the terminating chunk.
      res.socket?.destroy();
      return false;
    case 'stall':
      await new Promise((resolve) => closed.addEventListener('abort', resolve, { once: true }));
      return false;
  }
}
