/**
 * Ctrl-C and SIGTERM stop a run cleanly: the first aborts every layer with an `InterruptedError` (the in-flight
 * call is cancelled, the journal keeps what completed, the run is resumable); a second one exits at once.
 */
import { InterruptedError } from '../errors/index.js';

export interface InterruptHandle {
  signal: AbortSignal;
  dispose(): void;
}

export function handleInterrupts(onFirst: (signalName: string) => void): InterruptHandle {
  const controller = new AbortController();
  const handler = (signalName: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    onFirst(signalName);
    controller.abort(new InterruptedError());
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
