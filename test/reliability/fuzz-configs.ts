/**
 * Configuration documents for the bad-input suite: a document shaped like the real schema with random values
 * (right and wrong types, out-of-range numbers, unknown keys, deep nesting, huge strings), serialized as YAML,
 * then possibly damaged as text or bytes (truncation, BOM, tabs, invalid UTF-8, alias bombs, NUL bytes).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

const word = fc.constantFrom(
  'research',
  'planning',
  'implementation',
  'review',
  'verification',
  'haiku',
  'sonnet',
  'opus',
  'auto',
  'anthropic',
  'openai',
  'claude-code',
  'scripted',
  'retry',
  'escalate',
  'halt',
  'read',
  'write',
  'run',
  'TASK.md',
  '../outside.md',
  '/etc/passwd',
  'anthropic:claude-sonnet-4-5',
  'openai:gpt-5',
  'ollama:llama3:8b',
  'nope:',
  '10m',
  '0s',
  '-5m',
  '1h30m',
  '$0.05',
  '$-1',
  '1e309',
  'NaN',
  'http://127.0.0.1:1/v1',
  'not a url',
  '',
);

/** Scalars a YAML document can hold, biased towards the edges of the schema's ranges. */
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: word },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, -1, 1, 0.5, 1.5, 16, 17, 10_000, 1e300, -0, 2 ** 53, 0.000_001),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(word, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** A value for a field: usually of the plausible kind, sometimes anything at all. */
const field = (plausible: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: anyValue });

const gateCheck = fc.record(
  {
    kind: field(
      fc.constantFrom(
        'sections',
        'cost',
        'grounding',
        'command',
        'judge',
        'findings',
        'diff',
        'custom',
        'work-items',
        'x',
      ),
    ),
    name: field(word),
    weight: field(fc.double({ min: -1, max: 3, noNaN: true })),
    required: field(fc.boolean()),
    command: field(fc.constantFrom('true', 'npm test', '')),
    expect: field(fc.constantFrom('unchanged', 'changed')),
    module: field(fc.constantFrom('check.mjs', 'missing.mjs')),
    sections: field(fc.array(word, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

const phase = fc.record(
  {
    agent: field(word),
    model: field(word),
    timeout: field(word),
    quality_gate: field(
      fc.oneof(
        fc.double({ min: -0.5, max: 1.5, noNaN: true }),
        fc.record(
          { threshold: field(fc.double({ min: 0, max: 1 })), checks: fc.array(gateCheck, { maxLength: 3 }) },
          { requiredKeys: [] },
        ),
      ),
    ),
    cost_limit: field(scalar),
    depends_on: field(fc.oneof(word, fc.array(word, { maxLength: 3 }))),
    escalation: field(fc.array(word, { maxLength: 4 })),
    max_turns: field(fc.integer({ min: -2, max: 20_000 })),
    max_output_tokens: field(fc.integer({ min: -2, max: 2_000_000 })),
    unknown_key: anyValue,
  },
  { requiredKeys: [] },
);

const provider = fc.record(
  {
    kind: field(word),
    base_url: field(word),
    api_key_env: field(fc.constantFrom('ANTHROPIC_API_KEY', 'sk-ant-1234', '1BAD', 'OK_VAR')),
    pricing: field(
      fc.dictionary(word, fc.record({ input: field(fc.double()), output: field(fc.double()) }), {
        maxKeys: 2,
      }),
    ),
    latency_ms: field(fc.integer({ min: -5, max: 100 })),
  },
  { requiredKeys: [] },
);

const config = fc.record(
  {
    version: field(fc.constantFrom(1, 2, '1', 0)),
    task: field(fc.oneof(word, fc.string({ maxLength: 40 }))),
    workspace: field(fc.constantFrom('.', 'missing-dir', '..', '/nonexistent', 'TASK.md')),
    budget: field(fc.oneof(scalar, fc.record({ usd: scalar }))),
    deadline: field(word),
    concurrency: field(fc.integer({ min: -1, max: 20 })),
    review_rounds: field(fc.integer({ min: -1, max: 12 })),
    models: field(
      fc.record(
        {
          tiers: field(fc.array(word, { maxLength: 4 })),
          haiku: field(word),
          sonnet: field(word),
          opus: field(word),
          providers: field(fc.dictionary(word, provider, { maxKeys: 2 })),
        },
        { requiredKeys: [] },
      ),
    ),
    phases: field(fc.dictionary(word, phase, { maxKeys: 4 })),
    escalation: field(fc.array(word, { maxLength: 4 })),
    agents: field(
      fc.dictionary(
        word,
        fc.record(
          {
            prompt: field(word),
            extends: field(word),
            permissions: field(fc.array(word, { maxLength: 3 })),
            deliverables: field(fc.array(word, { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
        { maxKeys: 2 },
      ),
    ),
    surprise: anyValue,
  },
  { requiredKeys: [] },
);

/** Damage done to the YAML text or its bytes after serialization. */
type Damage =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'bom' }
  | { kind: 'tab'; at: number }
  | { kind: 'bytes'; at: number; bytes: number[] }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'huge'; size: number }
  | { kind: 'deep'; depth: number; flow: boolean }
  | { kind: 'alias-bomb'; width: number; levels: number }
  | { kind: 'swap-lines'; at: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.constant({ kind: 'bom' as const }),
  fc.record({ kind: fc.constant('tab' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.array(fc.oneof(fc.constantFrom(0x00, 0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0), fc.nat(255)), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      ':',
      '- ',
      '&a ',
      '*a',
      '*missing',
      '!!binary ',
      '!!js/function ',
      '? ',
      '{',
      ']',
      '"',
      '<<: *a\n',
      '%YAML 1.2\n---\n',
      '\n---\n',
      '\n...\n',
      '#',
      '|\n',
      '\u2028',
      '\r',
      '\0',
    ),
  }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 100_000, max: 2_000_000 }) }),
  fc.record({
    kind: fc.constant('deep' as const),
    depth: fc.integer({ min: 50, max: 5_000 }),
    flow: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('alias-bomb' as const),
    width: fc.integer({ min: 2, max: 12 }),
    levels: fc.integer({ min: 2, max: 12 }),
  }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat() }),
);

function applyDamage(text: string, change: Damage): Uint8Array {
  const bytes = (value: string) => Buffer.from(value, 'utf8');
  const at = (position: number, length: number) => (length === 0 ? 0 : position % (length + 1));
  switch (change.kind) {
    case 'none':
      return bytes(text);
    case 'truncate':
      return bytes(text).subarray(0, at(change.at, bytes(text).length));
    case 'bom':
      return bytes(`\uFEFF${text}`);
    case 'tab': {
      const index = at(change.at, text.length);
      return bytes(`${text.slice(0, index)}\t${text.slice(index)}`);
    }
    case 'bytes': {
      const original = bytes(text);
      const index = at(change.at, original.length);
      return Buffer.concat([
        original.subarray(0, index),
        Buffer.from(change.bytes),
        original.subarray(index),
      ]);
    }
    case 'insert': {
      const index = at(change.at, text.length);
      return bytes(`${text.slice(0, index)}${change.text}${text.slice(index)}`);
    }
    case 'duplicate-line':
    case 'swap-lines': {
      const lines = text.split('\n');
      const index = at(change.at, lines.length - 1);
      if (change.kind === 'duplicate-line') lines.splice(index, 0, lines[index] ?? '');
      else if (index + 1 < lines.length)
        [lines[index], lines[index + 1]] = [lines[index + 1]!, lines[index]!];
      return bytes(lines.join('\n'));
    }
    case 'huge':
      return bytes(`${text}\nhuge: "${'x'.repeat(change.size)}"\n`);
    case 'deep': {
      const nested = change.flow
        ? `${'['.repeat(change.depth)}${']'.repeat(change.depth)}`
        : Array.from({ length: change.depth }, (_, level) => `${' '.repeat(level)}k${level}:`).join('\n');
      return bytes(`${text}\nnested:${change.flow ? ' ' : '\n '}${nested}\n`);
    }
    case 'alias-bomb': {
      const lines = [`b0: &b0 [${Array(change.width).fill('"lol"').join(', ')}]`];
      for (let level = 1; level < change.levels; level++) {
        lines.push(
          `b${level}: &b${level} [${Array(change.width)
            .fill(`*b${level - 1}`)
            .join(', ')}]`,
        );
      }
      return bytes(`${text}\n${lines.join('\n')}\n`);
    }
  }
}

export interface ConfigCase {
  document: Record<string, unknown>;
  damage: Damage;
  bytes: Uint8Array;
}

export const configCase: fc.Arbitrary<ConfigCase> = fc.tuple(config, damage).map(([document, change]) => {
  const text = stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
  return { document, damage: change, bytes: applyDamage(text, change) };
});

/** Mostly plausible documents with one thing wrong; these go through the real CLI. */
export const damagedConfigCase = configCase.filter((candidate) => candidate.damage.kind !== 'none');
