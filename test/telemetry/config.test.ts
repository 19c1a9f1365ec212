/** `telemetry:` in phasewise.yaml: resolved only when present, and refused with its position when malformed. */
import { describe, expect, it } from 'vitest';
import { issueAt, loadYaml, rejectionOf } from '../config/config-files.js';

describe('telemetry:', () => {
  it('is absent unless configured, so a workflow keeps the shape it had', () => {
    expect(loadYaml('version: 1\n')).not.toHaveProperty('telemetry');
  });

  it('resolves the endpoint, header variables, service name and the prompt opt-in', () => {
    const workflow = loadYaml(
      [
        'telemetry:',
        '  endpoint: https://api.honeycomb.io',
        '  headers_env: { x-honeycomb-team: HONEYCOMB_API_KEY }',
        '  service_name: ci',
        '  include_prompts: true',
        '',
      ].join('\n'),
    );
    expect(workflow.telemetry).toEqual({
      endpoint: 'https://api.honeycomb.io',
      headersEnv: { 'x-honeycomb-team': 'HONEYCOMB_API_KEY' },
      serviceName: 'ci',
      includePrompts: true,
    });
    expect(loadYaml('telemetry: {}\n').telemetry).toEqual({ headersEnv: {}, includePrompts: false });
  });

  it('refuses an endpoint that is not an http(s) URL, and a header value in place of a variable name', () => {
    const endpoint = rejectionOf('telemetry:\n  endpoint: localhost:4318\n');
    expect(issueAt(endpoint.error, 'telemetry.endpoint')).toMatchObject({ line: 2 });
    expect(endpoint.error.message).toContain('expected an http(s) URL');
    const header = rejectionOf('telemetry:\n  headers_env: { x-api-key: "abc-123 secret" }\n');
    expect(header.error.message).toContain('expected the name of an environment variable, not its value');
  });
});
