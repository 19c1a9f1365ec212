/**
 * When telemetry is on and where it sends: the OTLP variables over the configuration, header values from the
 * environment only, and the prompt opt-in from either.
 */
import { describe, expect, it } from 'vitest';
import { telemetrySettings } from '../../src/telemetry/index.js';

const config = {
  endpoint: 'https://api.honeycomb.io/',
  headersEnv: { 'x-honeycomb-team': 'HONEYCOMB_KEY' },
  includePrompts: false,
};

describe('telemetrySettings', () => {
  it('is off without an endpoint anywhere, and with OTEL_SDK_DISABLED', () => {
    expect(telemetrySettings(undefined, {}).settings).toBeUndefined();
    expect(telemetrySettings(config, { OTEL_SDK_DISABLED: 'true' }).settings).toBeUndefined();
  });

  it('builds the traces URL from a base endpoint, and takes a traces endpoint as it is', () => {
    expect(telemetrySettings(config, { HONEYCOMB_KEY: 'k' }).settings?.tracesUrl).toBe(
      'https://api.honeycomb.io/v1/traces',
    );
    expect(
      telemetrySettings(config, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).settings?.tracesUrl,
    ).toBe('http://localhost:4318/v1/traces');
    expect(
      telemetrySettings(undefined, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom',
      }).settings?.tracesUrl,
    ).toBe('http://collector:4318/custom');
  });

  it('reads header values from the environment, and warns of a header whose variable is unset', () => {
    const on = telemetrySettings(config, {
      HONEYCOMB_KEY: 'secret-value',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=x%20y',
    });
    expect(on.settings?.headers).toEqual({ a: '1', b: 'x y', 'x-honeycomb-team': 'secret-value' });
    expect(on.warnings).toEqual([]);
    const missing = telemetrySettings(config, {});
    expect(missing.settings?.headers).toEqual({});
    expect(missing.warnings).toEqual([
      'telemetry: header x-honeycomb-team is not sent, HONEYCOMB_KEY is not set',
    ]);
  });

  it('names the service and includes prompts only when asked', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' };
    expect(telemetrySettings(undefined, env).settings).toMatchObject({
      serviceName: 'phasewise',
      includePrompts: false,
    });
    expect(
      telemetrySettings(undefined, { ...env, OTEL_SERVICE_NAME: 'ci', PHASEWISE_OTEL_INCLUDE_PROMPTS: '1' })
        .settings,
    ).toMatchObject({ serviceName: 'ci', includePrompts: true });
    expect(
      telemetrySettings({ ...config, serviceName: 'mine', includePrompts: true }, env).settings,
    ).toMatchObject({
      serviceName: 'mine',
      includePrompts: true,
    });
  });
});
