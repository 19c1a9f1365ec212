/**
 * Telemetry off costs nothing: in a fresh process of the built CLI, with a module hook listing every module
 * loaded, `run`'s module and its telemetry wiring without OTEL_EXPORTER_OTLP_ENDPOINT or `telemetry:` load no
 * OpenTelemetry module at all; with the variable set, the same wiring loads the SDK (so the check can fail).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', '..', 'dist');

/** The modules loaded by importing `run` and opening its telemetry with `env`, in a fresh process. */
function modulesLoaded(env: Record<string, string>): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    await import(${JSON.stringify(join(dist, 'cli/commands/run.js'))});
    const { openRunTelemetry } = await import(${JSON.stringify(join(dist, 'cli/run-telemetry.js'))});
    const telemetry = await openRunTelemetry({ providers: {} }, undefined, ${JSON.stringify(env)});
    await telemetry.close();
    process.stdout.write(JSON.stringify(loaded));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as string[];
}

const openTelemetry = (loaded: string[]) =>
  loaded.filter((url) => url.includes('/node_modules/@opentelemetry/'));

describe('telemetry when it is off', () => {
  it('loads no @opentelemetry module and none of the span code', () => {
    const loaded = modulesLoaded({});
    expect(loaded.some((url) => url.endsWith('/dist/telemetry/settings.js'))).toBe(true);
    expect(openTelemetry(loaded)).toEqual([]);
    // Only the face and the settings: the session, the span builders and the exporter wrapper stay unloaded.
    const telemetryCode = loaded.filter((url) => url.includes('/dist/telemetry/'));
    expect(telemetryCode.map((url) => url.replace(/.*\/dist\/telemetry\//, '')).sort()).toEqual([
      'index.js',
      'settings.js',
      'span-ids.js',
    ]);
  });

  it('loads the SDK and the exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    const loaded = modulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(openTelemetry(loaded).some((url) => url.includes('/@opentelemetry/sdk-trace/'))).toBe(true);
    expect(
      openTelemetry(loaded).some((url) => url.includes('/@opentelemetry/exporter-trace-otlp-http/')),
    ).toBe(true);
  });
});
