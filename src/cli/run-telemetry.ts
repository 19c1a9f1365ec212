/**
 * A run's traces when telemetry is on (OTEL_EXPORTER_OTLP_ENDPOINT, or `telemetry:` in the configuration): the
 * OpenTelemetry SDK is loaded only then, so a run without it starts as fast as before (docs/telemetry.md).
 */
import { readFileSync } from 'node:fs';
import pc from 'picocolors';
import type { ResolvedWorkflow } from '../config/index.js';
import type { RunEvent } from '../events/index.js';
import { startTelemetry, type TelemetrySession, telemetrySettings } from '../telemetry/index.js';
import type { Redactor } from '../util/redact.js';

export interface RunTelemetry {
  onEvent(event: RunEvent): void;
  close(): Promise<void>;
}

const off: RunTelemetry = { onEvent: () => undefined, close: async () => undefined };

export async function openRunTelemetry(
  workflow: ResolvedWorkflow,
  redactor: Redactor | undefined,
  env: Record<string, string | undefined> = process.env,
): Promise<RunTelemetry> {
  const warn = (line: string) => process.stderr.write(`${pc.yellow(redactor?.redact(line) ?? line)}\n`);
  const { settings, warnings } = telemetrySettings(workflow.telemetry, env);
  for (const warning of warnings) warn(warning);
  if (settings === undefined) return off;
  const session: TelemetrySession = await startTelemetry({
    settings,
    version: packageVersion(),
    providerKinds: Object.fromEntries(
      Object.values(workflow.providers).map((provider) => [provider.name, provider.kind]),
    ),
    ...(redactor === undefined ? {} : { redactor }),
    warn,
  });
  return { onEvent: (event) => session.onEvent(event), close: () => session.close() };
}

function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
