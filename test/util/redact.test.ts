/**
 * The redactor: every known token shape, environment and .env values, high-entropy strings — and no false
 * positives on git SHAs, UUIDs, digests and ordinary code. Token literals are assembled at run time so no
 * secret scanner mistakes this file for a leak.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/policy/random.js';
import { createRedactor, looksSecretName } from '../../src/util/redact.js';
import { parseDotenv } from '../../src/util/redact-dotenv.js';
import { looksHighEntropySecret, redactHighEntropy, shannonEntropy } from '../../src/util/redact-entropy.js';

const none = createRedactor({ env: {} });

/** Deterministic pseudo-random strings (mulberry32), so the statistical checks never flake. */
function randomStrings(seed: number, alphabet: string, length: number, count: number): string[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  );
}
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';
const body = (length: number) => randomStrings(length, `${BASE64.slice(0, 62)}`, length, 1)[0]!;

describe('known token shapes', () => {
  const shapes: Array<[string, string]> = [
    ['Anthropic', `sk-ant-api03-${body(80)}-${body(6)}AA`],
    ['OpenAI', `sk-${body(48)}`],
    ['OpenAI project', `sk-proj-${body(60)}_${body(40)}`],
    ['GitHub classic', `ghp_${body(36)}`],
    ['GitHub fine-grained', `github_pat_${body(22)}_${body(59)}`],
    ['GitHub app', `ghs_${body(36)}`],
    ['AWS access key id', `AKIA${'IOSFODNN7EXAMPLE'}`],
    ['Slack', `xoxb-${'1234567890'}-${'0987654321'}-${body(24)}`],
    ['Google API key', `AIza${body(35)}`],
    ['JWT', `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${body(43)}`],
  ];

  it.each(shapes)('%s', (_name, token) => {
    const text = `config: ${token} (end)`;
    expect(none.redact(text)).toBe('config: [REDACTED] (end)');
  });

  it('PEM private key blocks, whole or cut off', () => {
    const begin = '-----BEGIN RSA PRIVATE' + ' KEY-----';
    const end = '-----END RSA PRIVATE' + ' KEY-----';
    const block = `${begin}\n${body(64)}\n${body(64)}\n${end}`;
    expect(none.redact(`before\n${block}\nafter`)).toBe('before\n[REDACTED]\nafter');
    expect(none.redact(`before\n${begin}\n${body(64)}\n`)).toBe('before\n[REDACTED]');
    const openssh = `${'-----BEGIN OPENSSH PRIVATE'} KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n${'-----END OPENSSH PRIVATE'} KEY-----`;
    expect(none.redact(openssh)).toBe('[REDACTED]');
  });

  it('keeps the harmless part of headers and URLs', () => {
    expect(none.redact(`Authorization: Bearer ${body(30)}`)).toBe('Authorization: Bearer [REDACTED]');
    expect(none.redact(`curl -H "authorization: token ${body(20)}" url`)).toBe(
      'curl -H "authorization: token [REDACTED]" url',
    );
    expect(none.redact(`headers: { Bearer ${body(24)} }`)).toBe('headers: { Bearer [REDACTED] }');
    expect(none.redact('postgres://app:hunter2hunter@db.internal:5432/app')).toBe(
      'postgres://app:[REDACTED]@db.internal:5432/app',
    );
    expect(none.redact('https://x-access-token:abcd1234@github.com/o/r.git')).toBe(
      'https://x-access-token:[REDACTED]@github.com/o/r.git',
    );
  });

  it('secret-looking assignments in code and config', () => {
    expect(none.redact(`password = "correct-horse-9"`)).toBe(`password = "[REDACTED]"`);
    expect(none.redact(`{"api_key": "k3y-value-123"}`)).toBe(`{"api_key": "[REDACTED]"}`);
    expect(none.redact(`clientSecret: 'abcdefgh12'`)).toBe(`clientSecret: '[REDACTED]'`);
  });

  it('leaves placeholders readable', () => {
    const dollar = '$';
    for (const text of [
      'Authorization: Bearer <token>',
      `Authorization: Bearer ${dollar}{TOKEN}`,
      'Authorization: Bearer YOUR_API_KEY',
      `mongodb://${dollar}{user}:${dollar}{password}@host`,
      `password: "${dollar}{DB_PASSWORD}"`,
      'sk-spinner-container-wrapper-class',
      'token: "test-token"',
      'lastSignificantToken = "?InterpolationInTemplate"',
      "const OUTSIDE_SECRET = 'OUTSIDE-SECRET-CONTENT';",
    ]) {
      expect(none.redact(text)).toBe(text);
    }
  });
});

describe('environment values', () => {
  const secret = `planted-${body(24)}`;

  it('hides values of secret-looking variables, naming the variable', () => {
    const redactor = createRedactor({ env: { MY_SERVICE_TOKEN: secret, HOME: '/home/someone' } });
    expect(redactor.redact(`token is ${secret}.`)).toBe('token is [REDACTED:MY_SERVICE_TOKEN].');
    expect(redactor.redact('home is /home/someone')).toBe('home is /home/someone');
  });

  it('hides the value as it appears inside serialized JSON', () => {
    const multiline = `line-one-${body(8)}\nline "two"`;
    const redactor = createRedactor({ env: { SIGNING_KEY: multiline } });
    expect(redactor.redact(JSON.stringify({ value: multiline }))).toBe('{"value":"[REDACTED:SIGNING_KEY]"}');
  });

  it('ignores short values and non-secret names', () => {
    const redactor = createRedactor({ env: { DB_PASSWORD: 'short', EDITOR: 'vim-with-plugins' } });
    expect(redactor.redact('short vim-with-plugins')).toBe('short vim-with-plugins');
  });

  it('reads process.env when no environment is given', () => {
    process.env.PHASEWISE_REDACT_TEST_TOKEN = secret;
    try {
      expect(createRedactor().redact(secret)).toBe('[REDACTED:PHASEWISE_REDACT_TEST_TOKEN]');
    } finally {
      delete process.env.PHASEWISE_REDACT_TEST_TOKEN;
    }
  });

  it.each([
    ['OPENAI_API_KEY', true],
    ['ANTHROPIC_API_KEY', true],
    ['GITHUB_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['AWS_SESSION_TOKEN', true],
    ['PGPASSWORD', true],
    ['CLIENT_SECRET', true],
    ['STRIPE_KEY', true],
    ['NPM_AUTH', true],
    ['MYSQL_PWD', true],
    ['GPG_PASSPHRASE', true],
    ['PATH', false],
    ['PWD', false],
    ['OLDPWD', false],
    ['HOME', false],
    ['SSH_AUTH_SOCK', false],
    ['TOKENIZERS_PARALLELISM', false],
    ['KEYBOARD_LAYOUT', false],
  ])('%s looks secret: %s', (name, expected) => {
    expect(looksSecretName(name)).toBe(expected);
  });
});

describe('.env files of the workspace', () => {
  let workspace: string;
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'phasewise-redact-'));
    mkdirSync(join(workspace, 'packages', 'api'), { recursive: true });
    mkdirSync(join(workspace, 'node_modules', 'x'), { recursive: true });
    writeFileSync(
      join(workspace, '.env'),
      [
        '# comment',
        'STRIPE_KEY=rk_live_plantedStripe01',
        'export SESSION_SALT="quoted value with spaces 02"',
        "SINGLE='single-quoted-03' # trailing comment",
        'MULTI="-----line one 04',
        'line two 04-----"',
        'PORT=3000',
        'NODE_ENV=development',
        'PUBLIC_URL=https://example.com/app',
        'CACHE_DIR=./tmp/cache',
      ].join('\n'),
    );
    writeFileSync(join(workspace, '.env.local'), 'LOCAL_ONLY=local-value-05\n');
    writeFileSync(join(workspace, 'packages', 'api', '.env'), 'NESTED_VALUE=nested-value-06\n');
    writeFileSync(join(workspace, '.env.example'), 'EXAMPLE_VALUE=example-value-07\n');
    writeFileSync(join(workspace, 'node_modules', 'x', '.env'), 'VENDORED=vendored-value-08\n');
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('hides the values, naming their keys', () => {
    const redactor = createRedactor({ env: {}, workspace });
    expect(redactor.redact('rk_live_plantedStripe01')).toBe('[REDACTED:STRIPE_KEY]');
    expect(redactor.redact('x quoted value with spaces 02 x')).toBe('x [REDACTED:SESSION_SALT] x');
    expect(redactor.redact('single-quoted-03')).toBe('[REDACTED:SINGLE]');
    expect(redactor.redact('-----line one 04\nline two 04-----')).toBe('[REDACTED:MULTI]');
    expect(redactor.redact('local-value-05 nested-value-06')).toBe(
      '[REDACTED:LOCAL_ONLY] [REDACTED:NESTED_VALUE]',
    );
  });

  it('keeps configuration values, example files and vendored directories', () => {
    const redactor = createRedactor({ env: {}, workspace });
    const text = 'development https://example.com/app ./tmp/cache 3000 example-value-07 vendored-value-08';
    expect(redactor.redact(text)).toBe(text);
  });

  it('parses quotes, export and comments', () => {
    expect(parseDotenv('export A="x\\ny"\nB = plain # note\nC=\nD=\'it"s\'')).toEqual([
      { name: 'A', values: ['x\\ny', 'x\ny'] },
      { name: 'B', values: ['plain'] },
      { name: 'D', values: ['it"s'] },
    ]);
  });
});

describe('extra secrets', () => {
  it('hides them anywhere', () => {
    expect(createRedactor({ env: {}, extraSecrets: ['hunter2!', 'ab'] }).redact('pw hunter2! ab')).toBe(
      'pw [REDACTED] ab',
    );
  });
});

describe('high-entropy strings', () => {
  it('hides random base64 secrets of 40 characters (AWS secret key style), slashes and all', () => {
    const samples = randomStrings(7, BASE64, 40, 1_000);
    const hidden = samples.filter((sample) => none.redact(`key ${sample} end`) === 'key [REDACTED] end');
    expect(hidden.length).toBeGreaterThanOrEqual(997);
  });

  it('never hides git SHAs, SHA-256 digests or UUIDs', () => {
    const shas = randomStrings(11, HEX, 40, 1_000);
    const digests = randomStrings(13, HEX, 64, 500);
    const uuids = randomStrings(17, HEX, 32, 1_000).map(
      (hex) =>
        `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`,
    );
    for (const value of [...shas, ...digests, ...uuids]) expect(none.redact(value)).toBe(value);
  });

  it('leaves ordinary code, identifiers, digests in lock files and paths alone', () => {
    const code = [
      "import { Experimental_SpeechTranslationModelV4Usage } from '@ai-sdk/provider';",
      'const computerToolset_20260801InputSchema = lazySchema(() => z.object({}));',
      'Cannot_use_JSX_unless_the_jsx_flag_is_provided_17004',
      'true_for_ES2022_and_above_including_ESNext_6930',
      '"integrity": "sha512-' +
        'Xk7dp0N8nVNm3J1mJ3Af7q3u8Pq5fQ2nB9KxYz1L0mNvbA9s3T1uV6wQ2eR5tY8iO0pA7sD4fG6hJ9kL2zX5cV==",',
      'golang.org/x/text v0.3.7 h1:' + 'olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=',
      'https://github.com/colinhacks/zod/commit/9340fd51e48576a75adc919bff65dbc4a5d4c99b',
      'https://developer.mozilla.org/docs/Web/API/WebGL2RenderingContext/compressedTexSubImage3D',
      'const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";',
      'export async function resolveWorkspacePath(root: string, input: string): Promise<WorkspacePath> {}',
      'commit 3f1c2b4a5d6e7f8091a2b3c4d5e6f708192a3b4c',
      '"id": "chatcmpl-BMxEwRA0p0gJ52oKS7806KAlfMhqq", "tool_use_id": "toolu_01A09q90qw90lq917835lq9Xz"',
      'https://developer.mozilla.org/docs/Web/API/CSSTransformValue/is2D',
      'thisIsAVeryLongCamelCaseFunctionNameWithoutDigits',
    ].join('\n');
    expect(none.redact(code)).toBe(code);
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(looksHighEntropySecret('0123456789abcdef'.repeat(3))).toBe(false);
  });

  it('reads a path through a temporary directory (a word with a short random suffix) as a path', () => {
    const random = seededRandom(7);
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    for (let i = 0; i < 2000; i += 1) {
      const suffix = Array.from({ length: 6 }, () => chars[Math.floor(random() * chars.length)]).join('');
      const message = `task file /tmp/phasewise-crash-${suffix}/TASKK.md does not exist`;
      expect(redactHighEntropy(message)).toBe(message);
    }
  });

  it('can be turned off', () => {
    const value = randomStrings(3, BASE64, 40, 1)[0]!;
    expect(createRedactor({ env: {}, entropyThreshold: Number.POSITIVE_INFINITY }).redact(value)).toBe(value);
  });
});

describe('redactDeep', () => {
  const secret = `sk-ant-api03-${body(40)}`;

  it('redacts every string in nested objects and arrays, keeping everything else', () => {
    const value = {
      id: 7,
      ok: true,
      nothing: null,
      messages: [{ role: 'user', content: `use ${secret}` }, { parts: ['plain', secret] }],
      nested: { deeper: { text: secret, count: 2 } },
    };
    expect(none.redactDeep(value)).toEqual({
      id: 7,
      ok: true,
      nothing: null,
      messages: [{ role: 'user', content: 'use [REDACTED]' }, { parts: ['plain', '[REDACTED]'] }],
      nested: { deeper: { text: '[REDACTED]', count: 2 } },
    });
    expect(value.nested.deeper.text).toBe(secret);
  });

  it('handles cycles and leaves class instances alone', () => {
    const date = new Date(0);
    const cyclic: Record<string, unknown> = { text: secret, date };
    cyclic.self = cyclic;
    const copy = none.redactDeep(cyclic);
    expect(copy.text).toBe('[REDACTED]');
    expect(copy.self).toBe(copy);
    expect(copy.date).toBe(date);
    expect(none.redactDeep(secret)).toBe('[REDACTED]');
  });
});

describe('cost', () => {
  // Measured on Node 22 (2 vCPU): 15–21 ms per MB of mixed source text (54 MB of node_modules sources), and
  // linear on adversarial input; it runs on every tool output and journal record. DESIGN §4: figures come
  // from benchmarks, so this only guards against catastrophic (super-linear) regex behaviour.
  it('stays linear on adversarial input', () => {
    const redactor = createRedactor({ env: { A_TOKEN: 'x'.repeat(40) }, extraSecrets: ['needle-value'] });
    const inputs = [
      'a'.repeat(1_000_000),
      'sk-'.repeat(300_000),
      `${'A1b2'.repeat(250_000)}`,
      'Authorization: Bearer '.repeat(40_000),
      '://a:b'.repeat(150_000),
      'password="'.repeat(100_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      redactor.redact(input);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });
});

describe('remembered redactions', () => {
  const key = 'AKIA' + 'QWERTYUIOPASDFGH';
  const long = `${'const settings = { region: "eu-west-1", retries: 3 };\n'.repeat(6)}aws_key = ${key}\n`;

  it('answer a text seen again, long or short, exactly as the first time', () => {
    const redactor = createRedactor({ env: {} });
    const first = redactor.redact(long);
    expect(first).not.toContain(key);
    expect(redactor.redact(long)).toBe(first);
    expect(redactor.redactDeep([{ text: long }, { text: long }])).toEqual([{ text: first }, { text: first }]);
    for (let round = 0; round < 2; round++) {
      expect(redactor.redact(`token ${key}`)).toBe('token [REDACTED]');
      expect(redactor.redactDeep({ [key]: 'x' })).toEqual({ '[REDACTED]': 'x' });
    }
  });

  it('are forgotten when a file the user allows makes a value allowed', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-redact-memo-'));
    try {
      const redactor = createRedactor({ env: {}, workspace, allowPaths: ['fixtures/**'] });
      expect(redactor.redact(long)).not.toContain(key);
      const short = `aws_key = ${key}`;
      expect(redactor.redact(short)).toBe('aws_key = [REDACTED]');
      redactor.allowFrom!(`aws_key = ${key}`);
      expect(redactor.redact(long)).toContain(key);
      expect(redactor.redact(short)).toBe(short);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
