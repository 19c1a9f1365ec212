/**
 * Detects a call that has gone silent. It watches the bytes, not the parsed events, so it covers the wait for
 * the response headers, a stream that stops mid-answer and a JSON body that never finishes alike; a server
 * that keeps sending (Anthropic's `ping`s included) is alive. When nothing arrives for `timeoutMs`, `onStall`
 * runs — the adapter aborts the call with it, so the connection is closed rather than left open and billing.
 */
export interface StallWatchdog {
  /** A fetch that feeds the watchdog; give it to the SDK provider. */
  readonly fetch: typeof globalThis.fetch;
  readonly stalled: boolean;
  dispose(): void;
}

export function createStallWatchdog(options: {
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
  onStall: () => void;
}): StallWatchdog {
  // One timer, re-armed lazily: a chunk only notes the time, and the timer, when it fires, waits again for
  // whatever is left of the silence since the last one (a chunk every few microseconds would otherwise clear
  // and set a timer each).
  let timer: NodeJS.Timeout | undefined;
  let lastActivity = 0;
  let stalled = false;
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const check = () => {
    const silentMs = performance.now() - lastActivity;
    if (silentMs < options.timeoutMs) {
      timer = setTimeout(check, options.timeoutMs - silentMs);
      return;
    }
    stalled = true;
    timer = undefined;
    options.onStall();
  };
  const touch = () => {
    if (stalled) return;
    lastActivity = performance.now();
    timer ??= setTimeout(check, options.timeoutMs);
  };

  const watchedFetch: typeof globalThis.fetch = async (input, init) => {
    touch();
    const response = await options.fetch(input, init);
    touch();
    if (response.body === null) {
      stop();
      return response;
    }
    // Pulled chunk by chunk from the response's own reader: lighter than a TransformStream piped through.
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) {
            stop();
            controller.close();
            return;
          }
          touch();
          controller.enqueue(value);
        },
        cancel: (reason) => {
          stop();
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  return {
    fetch: watchedFetch,
    get stalled() {
      return stalled;
    },
    dispose: stop,
  };
}
