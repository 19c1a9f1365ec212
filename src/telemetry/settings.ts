/**
 * Whether a run exports traces, and where: the standard OTEL_EXPORTER_OTLP_* variables first, then the
 * configuration's `telemetry:`. Plain functions of the environment and the configuration; nothing here loads
 * OpenTelemetry, so a run without telemetry pays nothing for it.
 */
import type { TelemetryConfig } from '../config/types.js';

export interface TelemetrySettings {
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  tracesUrl: string;
  /** Sent with every export; values come from the environment, never from the configuration file. */
  headers: Record<string, string>;
  serviceName: string;
  /** Add the task and tool summaries (redacted) to the spans. */
  includePrompts: boolean;
}

export interface TelemetryChoice {
  settings: TelemetrySettings | undefined;
  /** Said once at start: a header whose variable is unset, a malformed header list. */
  warnings: string[];
}

type Environment = Record<string, string | undefined>;

export function telemetrySettings(config: TelemetryConfig | undefined, env: Environment): TelemetryChoice {
  const warnings: string[] = [];
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { settings: undefined, warnings };
  const tracesUrl = tracesUrlFrom(config, env);
  if (tracesUrl === undefined) return { settings: undefined, warnings };
  const headers: Record<string, string> = {
    ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS', warnings),
    ...parseHeaderList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', warnings),
  };
  for (const [name, variable] of Object.entries(config?.headersEnv ?? {})) {
    const value = env[variable];
    if (value === undefined || value === '') {
      warnings.push(`telemetry: header ${name} is not sent, ${variable} is not set`);
    } else {
      headers[name] = value;
    }
  }
  const flag = env.PHASEWISE_OTEL_INCLUDE_PROMPTS?.trim().toLowerCase();
  return {
    settings: {
      tracesUrl,
      headers,
      serviceName: nonEmpty(env.OTEL_SERVICE_NAME) ?? config?.serviceName ?? 'phasewise',
      includePrompts: flag === '1' || flag === 'true' || config?.includePrompts === true,
    },
    warnings,
  };
}

/** The traces URL as the OTLP specification builds it: a signal URL as is, a base URL with `/v1/traces`. */
function tracesUrlFrom(config: TelemetryConfig | undefined, env: Environment): string | undefined {
  const signal = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (signal !== undefined) return signal;
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? config?.endpoint;
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** `key1=value1,key2=value2`, values URL-encoded (the OTLP exporter specification). */
function parseHeaderList(
  list: string | undefined,
  variable: string,
  warnings: string[],
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (list ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf('=');
    if (at <= 0) {
      warnings.push(`telemetry: ${variable} has an entry without "name=value"; it is ignored`);
      continue;
    }
    try {
      headers[entry.slice(0, at).trim()] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      warnings.push(`telemetry: ${variable} has a value that is not URL-encoded; it is ignored`);
    }
  }
  return headers;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
