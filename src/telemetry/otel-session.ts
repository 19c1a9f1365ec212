/**
 * The OpenTelemetry SDK set up for one run: a tracer provider with the OTLP/HTTP exporter behind a batch
 * processor, and the span tree fed from the run's events. Imported only when telemetry is on (`index.ts`).
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { RunEvent } from '../events/index.js';
import type { Redactor } from '../util/redact.js';
import { PresetIdGenerator } from './preset-id-generator.js';
import type { TelemetrySettings } from './settings.js';
import { createSpanTree } from './span-tree.js';
import { warnOnceExporter } from './warn-once-exporter.js';

export interface TelemetrySession {
  onEvent(event: RunEvent): void;
  /**
   * Ends what is still open (an interrupted run), sends what is buffered and stops, within `timeoutMs`: an
   * unreachable or slow collector never holds the command up longer.
   */
  close(timeoutMs?: number): Promise<void>;
}

export interface SessionOptions {
  settings: TelemetrySettings;
  version: string;
  redactor?: Redactor;
  /** Configured provider name → its kind, for `gen_ai.provider.name`. */
  providerKinds?: Record<string, string>;
  warn: (line: string) => void;
  /** Milliseconds one export may take (default 2,000). */
  exportTimeoutMs?: number;
}

export function openSession(options: SessionOptions): TelemetrySession {
  const { settings } = options;
  const timeoutMillis = options.exportTimeoutMs ?? 2_000;
  const exporter = warnOnceExporter(
    new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers, timeoutMillis }),
    settings.tracesUrl,
    options.warn,
  );
  const ids = new PresetIdGenerator();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      [ATTR_SERVICE_VERSION]: options.version,
    }),
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor({ exporter, exportTimeoutMillis: timeoutMillis })],
  });
  const tree = createSpanTree({
    tracer: provider.getTracer('phasewise', options.version),
    presetIds: (preset) => ids.preset(preset),
    includePrompts: settings.includePrompts,
    ...(options.providerKinds === undefined ? {} : { providerKinds: options.providerKinds }),
    ...(options.redactor === undefined ? {} : { redactor: options.redactor }),
  });
  let closed: Promise<void> | undefined;
  return {
    onEvent: (event) => {
      try {
        tree.onEvent(event);
      } catch (error) {
        // A span that cannot be built costs the trace a span, never the run.
        options.warn(`telemetry: an event could not be traced (${(error as Error).message})`);
      }
    },
    close: (timeoutMs = 3_000) => {
      closed ??= (async () => {
        tree.endOpen(new Date(), 'the run stopped before its spans ended');
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          timer.unref();
        });
        try {
          await Promise.race([provider.shutdown().catch(() => undefined), late]);
        } finally {
          clearTimeout(timer);
        }
      })();
      return closed;
    },
  };
}
