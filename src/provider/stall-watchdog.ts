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
  let timer: NodeJS.Timeout | undefined;
  let stalled = false;
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const touch = () => {
    stop();
    if (stalled) return;
    timer = setTimeout(() => {
      stalled = true;
      timer = undefined;
      options.onStall();
    }, options.timeoutMs);
  };

  const watchedFetch: typeof globalThis.fetch = async (input, init) => {
    touch();
    const response = await options.fetch(input, init);
    touch();
    if (response.body === null) {
      stop();
      return response;
    }
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          touch();
          controller.enqueue(chunk);
        },
        flush: stop,
      }),
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
