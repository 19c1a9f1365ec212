/**
 * An exporter that says once, in one line, that the collector could not be reached, and never fails the run: a
 * trace is worth less than the run it describes.
 */
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

export function warnOnceExporter(
  inner: SpanExporter,
  url: string,
  warn: (line: string) => void,
): SpanExporter {
  let warned = false;
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS && !warned) {
          warned = true;
          const why = result.error?.message ?? 'unknown error';
          warn(`telemetry: traces could not be sent to ${url} (${why}); the run goes on without them`);
        }
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
