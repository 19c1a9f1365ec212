/**
 * Credential files by name: each format's secret values become known values, so their transformed forms are
 * hidden like a `.env` value's; usernames, hosts and placeholders stay readable; huge files are skipped.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/util/redact.js';

// Letters and dashes only: no shape rule and no entropy check would find them; only the file they are in does.
const VALUES = {
  credentialsJson: 'json-cred-pass-alpha',
  npmToken: 'npm-auth-token-bravo',
  netrc: 'netrc-pass-charlie-x',
  pypirc: 'pypirc-pass-delta-xy',
  gitCredentials: 'git-cred-pass-echo-x',
  awsSecret: 'aws-secret-foxtrot-x',
  awsSession: 'aws-session-golf-xyz',
  dockerPassword: 'docker-pass-hotel-xy',
  nested: 'nested-npm-india-xyz',
};
const KEY_LINE = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7pLw';

function workspaceWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'phasewise-credential-files-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const workspace = workspaceWith({
  'credentials.json': JSON.stringify({ username: 'deploy-user', password: VALUES.credentialsJson }),
  '.npmrc': `registry=https://registry.example/\n//registry.example/:_authToken=${VALUES.npmToken}\n//other.example/:_authToken=\${NPM_TOKEN}\n`,
  '.netrc': `machine api.example.com\n  login bob\n  password ${VALUES.netrc}\n`,
  '.pypirc': `[pypi]\nusername = __token__\npassword = ${VALUES.pypirc}\n`,
  '.git-credentials': `https://bob:${encodeURIComponent(VALUES.gitCredentials)}@git.example.com\n`,
  '.aws/credentials': `[default]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = ${VALUES.awsSecret}\naws_session_token=${VALUES.awsSession}\n`,
  '.docker/config.json': JSON.stringify({
    auths: { 'registry.example': { auth: Buffer.from(`bob:${VALUES.dockerPassword}`).toString('base64') } },
  }),
  'packages/web/.npmrc': `_authToken=${VALUES.nested}\n`,
  'deploy/id_rsa': `-----BEGIN RSA PRIVATE KEY-----\n${KEY_LINE}\n-----END RSA PRIVATE KEY-----\n`,
  'certs/server.pem':
    '-----BEGIN CERTIFICATE-----\nMIIBcertificateIsPublicNotSecret0000\n-----END CERTIFICATE-----\n',
});
const redactor = createRedactor({ env: {}, workspace });

const FORMS: Record<string, (value: string) => string> = {
  'as written': (value) => value,
  reversed: (value) => [...value].reverse().join(''),
  'upper case': (value) => value.toUpperCase(),
  'spaced out': (value) => [...value].join(' '),
  hex: (value) => Buffer.from(value).toString('hex'),
  'URL-encoded': (value) => encodeURIComponent(`${value}&`),
  base64: (value) => Buffer.from(`x=${value}`).toString('base64'),
};

describe('values of credential files', () => {
  for (const [name, value] of Object.entries(VALUES)) {
    it.each(Object.keys(FORMS))(`${name}, %s, is hidden`, (form) => {
      const shown = FORMS[form]!(value);
      const redacted = redactor.redact(`printed: ${shown} (end)`);
      expect(redacted).not.toContain(shown);
      expect(redacted).toContain('[REDACTED');
    });
  }

  it('names the file the value came from, never the value', () => {
    expect(redactor.redact(VALUES.npmToken)).toBe('[REDACTED:.npmrc]');
    expect(redactor.redact(VALUES.awsSecret)).toBe('[REDACTED:.aws/credentials]');
    expect(redactor.redact(VALUES.dockerPassword)).toBe('[REDACTED:.docker/config.json]');
  });

  it('hides a private key file’s lines in their encodings too', () => {
    const hex = Buffer.from(KEY_LINE).toString('hex');
    expect(redactor.redact(`key ${hex}`)).not.toContain(hex);
  });

  it('reads a bounded number of a long private key’s lines, spread over the block', () => {
    const lines = Array.from({ length: 50 }, (_, index) =>
      Buffer.from(Array.from({ length: 48 }, (_, at) => (index * 31 + at * 7) % 256)).toString('base64'),
    );
    const keyed = workspaceWith({
      'id_ed25519.pem': `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`,
    });
    const bounded = createRedactor({ env: {}, workspace: keyed, entropyThreshold: Number.POSITIVE_INFINITY });
    const hidden = lines.filter((line) => {
      const hex = Buffer.from(line).toString('hex');
      return !bounded.redact(hex).includes(hex);
    });
    expect(hidden).toHaveLength(16);
    expect(hidden).not.toContain(lines[0]);
    expect(hidden).toContain(lines[49 - 3]);
  });

  it('leaves usernames, hosts, placeholders and certificates readable', () => {
    const text = `deploy-user bob __token__ api.example.com \${NPM_TOKEN} MIIBcertificateIsPublicNotSecret0000`;
    expect(redactor.redact(text)).toBe(text);
  });

  it('skips a file too large to be a credential file, and an allowed one', () => {
    const big = workspaceWith({ '.npmrc': `_authToken=huge-file-token-value\n${'#'.repeat(70_000)}\n` });
    expect(createRedactor({ env: {}, workspace: big }).redact('huge-file-token-value')).toBe(
      'huge-file-token-value',
    );
    const allowed = workspaceWith({ 'test/fixtures/.npmrc': '_authToken=fixture-npm-token-value\n' });
    const withAllow = createRedactor({ env: {}, workspace: allowed, allowPaths: ['test/fixtures/**'] });
    expect(withAllow.redact('fixture-npm-token-value')).toBe('fixture-npm-token-value');
    expect(createRedactor({ env: {}, workspace: allowed }).redact('fixture-npm-token-value')).toBe(
      '[REDACTED:.npmrc]',
    );
  });
});
