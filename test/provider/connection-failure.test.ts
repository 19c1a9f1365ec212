/**
 * A call that never reaches the API, over real connections through the real adapters of each provider kind: the
 * error names the provider, the URL it tried (never a key, never credentials in the URL) and what the cause
 * means, with a hint; only what may come back on its own is retried.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, withoutUserinfo } from '../../src/provider/connection-failure.js';
import type { ModelRetry } from '../../src/provider/model.js';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';
import { withRetries } from '../../src/provider/retry.js';
import { closedPort } from '../support/closed-port.js';
import { failure, modelFor, request, TEST_KEY } from './support/models.js';
import { type ReplayServer, startReplayServer } from './support/replay-server.js';

const kinds = ['anthropic', 'openai', 'openai-compatible'] as const;
/** How the support models name each kind's provider, and the path each API is asked on. */
const providerName = { anthropic: 'anthropic', openai: 'openai', 'openai-compatible': 'local' } as const;
const apiPath = {
  anthropic: '/v1/messages',
  openai: '/v1/chat/completions',
  'openai-compatible': '/v1/chat/completions',
};

let plainHttp: ReplayServer;
beforeAll(async () => {
  plainHttp = await startReplayServer();
});
afterAll(() => plainHttp.close());

async function failureAt(kind: (typeof kinds)[number], origin: string): Promise<ProviderCallError> {
  const error = await failure(modelFor(kind, origin).generate(request()));
  expect(error).toBeInstanceOf(ProviderCallError);
  const failed = error as ProviderCallError;
  expect(`${failed.message} ${failed.hint}`).not.toContain(TEST_KEY);
  return failed;
}

describe.each(kinds)('%s: a connection that fails', (kind) => {
  const provider = providerName[kind];

  it('to a closed port on 127.0.0.1 names the provider, the URL, the cause and what to check; retryable', async () => {
    const port = await closedPort();
    const error = await failureAt(kind, `http://127.0.0.1:${port}`);
    expect(error.message).toBe(
      `${provider} model test-model could not connect to http://127.0.0.1:${port}${apiPath[kind]} (ECONNREFUSED): ` +
        `nothing is listening at 127.0.0.1:${port} (connection refused); is the server running? If it is, check ` +
        `the host and port in models.providers.${provider}.base_url`,
    );
    expect(error).toMatchObject({ retryable: true, connectionFailure: 'ECONNREFUSED', status: undefined });
    expect(error.hint).toMatch(/^is the server running\?/);
  });

  it('to a port that does not exist (99999) says the URL is invalid, and is not retried', async () => {
    const error = await failureAt(kind, 'http://127.0.0.1:99999');
    expect(error.message).toContain(
      `${provider} model test-model could not connect to http://127.0.0.1:99999/v1`,
    );
    expect(error.message).toContain(
      '(invalid URL): it is not a valid URL (a port is a number from 1 to 65535)',
    );
    expect(error).toMatchObject({ retryable: false, connectionFailure: 'invalid URL' });
  });

  it('to a port fetch blocks (9) explains "bad port", and is not retried', async () => {
    const error = await failureAt(kind, 'http://127.0.0.1:9');
    expect(error.message).toContain(`could not connect to http://127.0.0.1:9${apiPath[kind]} (bad port)`);
    expect(error.message).toContain(
      "fetch refuses to connect to port 9: it is on the Fetch standard's list of unsafe ports",
    );
    expect(error.hint).toBe(
      `serve the API on another port, and change models.providers.${provider}.base_url to match`,
    );
    expect(error.retryable).toBe(false);
  });

  it('with credentials in the URL never shows them', async () => {
    const port = await closedPort();
    const error = await failureAt(kind, `http://phasewise:hunter2-secret-pw@127.0.0.1:${port}`);
    expect(`${error.message} ${error.hint}`).not.toMatch(/hunter2|phasewise:/);
    expect(error.message).toContain(
      `could not connect to http://127.0.0.1:${port}${apiPath[kind]} (credentials in URL)`,
    );
    expect(error.retryable).toBe(false);
  });

  it('speaking TLS to a plain HTTP server says so', async () => {
    const error = await failureAt(kind, plainHttp.origin.replace('http:', 'https:'));
    expect(error.message).toContain(
      'the server does not speak TLS on that port (https:// to a plain http:// server?)',
    );
    expect(error.hint).toBe(`use http:// in models.providers.${provider}.base_url if the server has no TLS`);
    expect(error.retryable).toBe(false);
  });
});

it('a host name that does not resolve is named, and not retried', async () => {
  // `.invalid` never resolves (RFC 6761), on any network or none.
  const error = await failureAt('anthropic', 'http://api.example.invalid');
  expect(error.message).toContain('could not connect to http://api.example.invalid/v1/messages (ENOTFOUND)');
  expect(error.message).toContain('the host name api.example.invalid does not resolve');
  expect(error.retryable).toBe(false);
});

it('the retry layer shows a refused connection as one in words', async () => {
  const port = await closedPort();
  const heard: ModelRetry[] = [];
  const model = withRetries(modelFor('openai', `http://127.0.0.1:${port}`), {
    maxAttempts: 2,
    sleep: async () => {},
  });
  await failure(model.generate(request({ onRetry: (retry) => heard.push(retry) })));
  expect(heard.map((retry) => retry.reason)).toEqual(['connection to openai failed (ECONNREFUSED)']);
});

describe('URLs as shown', () => {
  it.each([
    ['https://user:pw@gateway.example/v1?key=abc#x', 'https://gateway.example/v1'],
    ['http://127.0.0.1:99999/v1?key=abc', 'http://127.0.0.1:99999/v1'],
    ['http://user:pw@127.0.0.1:99999/v1', 'http://127.0.0.1:99999/v1'],
  ])('%s → %s', (url, shown) => {
    expect(displayUrl(url)).toBe(shown);
  });

  it('blanks credentials out of any URL in a message', () => {
    expect(withoutUserinfo('cannot fetch http://me:secret@host:1/v1 or https://t@h/x')).toBe(
      'cannot fetch http://host:1/v1 or https://h/x',
    );
  });
});

describe('a TLS certificate the client does not accept', () => {
  const openssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!openssl)('is named as such, with what to do for a private CA, and not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phasewise-tls-'));
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    expect(made.status, String(made.stderr)).toBe(0);
    const server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_request, response) => response.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const error = await failureAt('anthropic', `https://127.0.0.1:${port}`);
      expect(error.message).toContain(
        `could not connect to https://127.0.0.1:${port}/v1/messages (DEPTH_ZERO_SELF_SIGNED_CERT)`,
      );
      expect(error.message).toContain("the server's TLS certificate was not accepted");
      expect(error.hint).toMatch(
        /^for a private or self-signed certificate, point NODE_EXTRA_CA_CERTS at its CA file/,
      );
      expect(error.retryable).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
