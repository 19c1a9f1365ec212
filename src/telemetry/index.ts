/**
 * The telemetry layer's face: whether a run exports traces (`telemetrySettings`, no OpenTelemetry loaded), and
 * the session that does (`startTelemetry`, which loads the SDK on first use only). See docs/telemetry.md.
 */
// Types only: erased from the built code, so the SDK still loads only when a session opens.
import type { SessionOptions, TelemetrySession } from './otel-session.js';

export type { SessionOptions, TelemetrySession } from './otel-session.js';

export { type TelemetryChoice, type TelemetrySettings, telemetrySettings } from './settings.js';
export { runSpanId, runTraceId } from './span-ids.js';

export async function startTelemetry(options: SessionOptions): Promise<TelemetrySession> {
  const { openSession } = await import('./otel-session.js');
  return openSession(options);
}
