/**
 * Known secret values in the forms a command or a model turns them into (README, reliability: what is caught):
 * reversed, case-changed, spaced out, separators changed, hex, URL-encoded, base64 (std and url-safe, inside a
 * longer base64 text at any alignment); credential fields by key; well-known key prefixes. And what stays.
 */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/util/redact.js';

const key = 'vendor-login-Zq81-leakcheck';
const dotenvLike = 'hunter2-correct-horse-root';
const redactor = createRedactor({ env: { VENDOR_KEY: key, DB_PASSWORD: dotenvLike } });
const bytes = (text: string) => Buffer.from(text, 'utf8');

const forms: Array<[string, (value: string) => string]> = [
  ['reversed', (value) => [...value].reverse().join('')],
  ['upper case', (value) => value.toUpperCase()],
  ['lower case', (value) => value.toLowerCase()],
  ['spaced out', (value) => [...value].join(' ')],
  ['dash-separated', (value) => [...value].join('-')],
  ['separators changed', (value) => value.replaceAll('-', ' ')],
  ['separators dropped', (value) => value.replaceAll('-', '')],
  ['reversed, upper case', (value) => [...value].reverse().join('').toUpperCase()],
  ['hex', (value) => bytes(value).toString('hex')],
  ['HEX', (value) => bytes(value).toString('hex').toUpperCase()],
  ['hex pairs spaced', (value) => bytes(value).toString('hex').match(/../g)!.join(' ')],
  ['URL-encoded', (value) => encodeURIComponent(`${value}/+&`)],
  ['base64', (value) => bytes(value).toString('base64')],
  ['base64url', (value) => bytes(value).toString('base64url')],
  ['base64 inside longer text, offset 1', (value) => bytes(`x${value}:tail`).toString('base64')],
  ['base64 inside longer text, offset 2', (value) => bytes(`xy${value}:tail`).toString('base64')],
  ['base64url inside longer text, offset 1', (value) => bytes(`{${value}}`).toString('base64url')],
  ['base64 of a line', (value) => bytes(`KEY=${value}\n`).toString('base64')],
];

describe('known values in common encodings', () => {
  it.each(forms)('%s', (_name, encode) => {
    for (const value of [key, dotenvLike]) {
      const encoded = encode(value);
      const redacted = redactor.redact(`before ${encoded} after`);
      expect(redacted, encoded).toMatch(/\[REDACTED:(VENDOR_KEY|DB_PASSWORD)\]/);
      // Nothing of the value is left to decode: the longest piece of the encoded form left is short.
      const cores = encoded.split(/\[REDACTED[^\]]*\]/);
      expect(redacted.includes(encoded), encoded).toBe(false);
      expect(Math.max(...cores.map((piece) => piece.length))).toBeLessThanOrEqual(encoded.length);
    }
  });

  it('leaves ordinary text and other base64 alone', () => {
    const text = [
      'The vendor login rotates yearly; the horse is correct.',
      bytes('unrelated words').toString('base64'),
      'a b c d e f g h i j k l m n o p',
      '01 02 03 04 05 06 07 08 09 0a',
    ].join('\n');
    expect(redactor.redact(text)).toBe(text);
  });
});

describe('credential fields by key, whatever the value looks like', () => {
  it.each([
    ['credentials.json', '{"password":"correcthorsebatterystaple"}', '{"password":"[REDACTED]"}'],
    ['JSON, spaced', '{ "client_secret": "abcdefghijk" }', '{ "client_secret": "[REDACTED]" }'],
    ['JSON, nested key name', '{"db_password": "onlyletters"}', '{"db_password": "[REDACTED]"}'],
    ['YAML', 'database:\n  password: onlylettershere\n', 'database:\n  password: [REDACTED]\n'],
    ['YAML, quoted', "api_key: 'plainwords'\n", "api_key: '[REDACTED]'\n"],
    [
      '.pypirc',
      '[pypi]\nusername = me\npassword = verysecretvalue\n',
      '[pypi]\nusername = me\npassword = [REDACTED]\n',
    ],
    [
      '.npmrc',
      '//registry.example/:_authToken=abcdefghijklmnop\n',
      '//registry.example/:_authToken=[REDACTED]\n',
    ],
    ['.npmrc _auth', '_auth=dXNlcjpwYXNz\n', '_auth=[REDACTED]\n'],
    [
      '.netrc',
      'machine example.com login me password plainpass\n',
      'machine example.com login me password [REDACTED]\n',
    ],
    [
      '.netrc, lines',
      'machine example.com\n  login me\n  password plainpass\n',
      'machine example.com\n  login me\n  password [REDACTED]\n',
    ],
  ])('%s', (_name, text, expected) => {
    expect(createRedactor({ env: {} }).redact(text)).toBe(expected);
  });

  it.each([
    `password: "${'$'}{DB_PASSWORD}"`,
    'token: "test-token"',
    '{"token": "<token>"}',
    'password: process.env.DB_PASSWORD',
    'const token = getToken();',
    'the password is required',
    'Use your token to log in',
    'lastSignificantToken = "?InterpolationInTemplate"',
    'password: changeme',
  ])('leaves %s readable', (text) => {
    expect(createRedactor({ env: {} }).redact(text)).toBe(text);
  });
});

describe('well-known key prefixes', () => {
  const suffix = 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6';
  it.each([
    `sk_live_${suffix}`,
    `rk_live_${suffix}`,
    `sk_test_${suffix}`,
    `whsec_${suffix}`,
    `glpat-${suffix}`,
    `npm_${suffix}abcd`,
    `hf_${suffix}`,
    `SG.${suffix.slice(0, 22)}.${suffix}`,
  ])('%s', (token) => {
    expect(
      createRedactor({ env: {}, entropyThreshold: Number.POSITIVE_INFINITY }).redact(`k ${token} .`),
    ).toBe('k [REDACTED] .');
  });
});

describe('object keys', () => {
  it('are redacted like values (a snapshot keyed by file name)', () => {
    const redacted = redactor.redactDeep({ files: { [`docs/${dotenvLike}.md`]: 'abc' } });
    expect(JSON.stringify(redacted)).not.toContain(dotenvLike);
    expect(JSON.stringify(redacted)).toContain('docs/[REDACTED:DB_PASSWORD].md');
  });
});
