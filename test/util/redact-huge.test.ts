/**
 * The redactor sees whatever a run produces; a run of millions of characters in one token (a 30 MB inline task
 * did it) exhausted V8's regex stack and ended the run with "Maximum call stack size exceeded". Every rule's
 * prefix followed by huge runs of every character class must be scanned, and what is secret still hidden.
 */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../src/util/redact.js';

const N = 12_000_000;
const bodies: Record<string, string> = {
  letters: 'a'.repeat(N),
  mixed: 'a1'.repeat(N / 2),
  base64: 'ab+/'.repeat(N / 4),
  spaces: ' '.repeat(N),
  padding: '='.repeat(N),
  newlines: '\n'.repeat(N),
};
const prefixes = [
  '',
  'sk-',
  'sk-ant-',
  'ghp_',
  'github_pat_',
  'xoxb-',
  'eyJabcdefgh.eyJ',
  'Authorization: Bearer ',
  'Authorization:',
  'Bearer ',
  'https://user:',
  'password = "',
  '-----BEGIN PRIVATE KEY-----',
];

describe('the redactor on huge text', () => {
  const redactor = createRedactor({ env: {} });
  it.each(prefixes)('scans %j followed by millions of characters of each kind', (prefix) => {
    for (const body of Object.values(bodies)) {
      expect(() => redactor.redact(prefix + body)).not.toThrow();
    }
  });

  it('still hides a secret that sits beyond a huge run', () => {
    const key = 'sk-ant-api03-Xy7Qm2Lp9Vt4Rb8Nc3Kd6Fh1Jw5Zs0Ga';
    const text = `${'a'.repeat(N)} ${key} ${'Qm9vYmFyYmF6cXV4'.repeat(N / 16)}`;
    const out = redactor.redact(text);
    expect(out).not.toContain(key);
    expect(out).toContain(REDACTED);
  });
});
