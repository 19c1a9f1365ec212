/**
 * The telemetry layer's face: whether a run exports traces (`telemetrySettings`, no OpenTelemetry loaded), and
 * the session that does (`startTelemetry`, which loads the SDK on first use only). See docs/telemetry.md.
 */
import type { RunEvent } from '../events/index.js';
import type { Redactor } from '../util/redact.js';
import type { TelemetrySettings } from './settings.js';

export { type TelemetryChoice, type TelemetrySettings, telemetrySettings } from './settings.js';
export { runSpanId, runTraceId } from './span-ids.js';

export interface TelemetrySession {
  onEvent(event: RunEvent): void;
  close(timeoutMs?: number): Promise<void>;
}

export async function startTelemetry(options: {
  settings: TelemetrySettings;
  version: string;
  redactor?: Redactor;
  /** Configured provider name → its kind, for `gen_ai.provider.name`. */
  providerKinds?: Record<string, string>;
  warn: (line: string) => void;
  exportTimeoutMs?: number;
}): Promise<TelemetrySession> {
  const { openSession } = await import('./otel-session.js');
  return openSession(options);
}
