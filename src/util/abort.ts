/**
 * One AbortSignal through every layer (STYLE §8). `linkedAbort` derives a controller that aborts when any parent
 * does or when its own timeout fires, and `dispose()` removes every listener and timer it added.
 */
export interface LinkedAbort {
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
  dispose(): void;
}

export function linkedAbort(
  parents: AbortSignal[],
  timeout?: { ms: number; reason: () => unknown },
): LinkedAbort {
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  for (const parent of parents) {
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => parent.removeEventListener('abort', onAbort));
  }
  if (timeout !== undefined && !controller.signal.aborted) {
    // Not unref'd: a pending timeout is real work (it must fire and record `timed_out`), even when the call it
    // guards holds nothing else open; dispose() clears it.
    const timer = setTimeout(() => controller.abort(timeout.reason()), Math.max(0, timeout.ms));
    cleanups.push(() => clearTimeout(timer));
  }
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts; leaves no timer behind. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}
