/**
 * Command lines for the bad-input suite: every command (`policy simulate` included), its real options with good and bad values, unknown
 * options, stray arguments and odd strings. `demo` is only given bad values (a good one runs the whole demo), and
 * paths stay inside the scratch directory the suite runs in.
 */
import fc from 'fast-check';

const COMMANDS = [
  'init',
  'validate',
  'estimate',
  'run',
  'resume',
  'status',
  'runs',
  'approve',
  'reject',
  'abort',
  'report',
  'policy',
  'eval',
  'compare',
] as const;

const oddString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-',
    '--',
    '---',
    '-x',
    '--no-such-option',
    '--json=yes',
    '\u202e',
    'ünïcødé',
    '💥',
    '$(touch pwned)',
    '`touch pwned`',
    '; touch pwned',
    '%s%s%n',
    '../../../../etc/passwd',
    '20261129-101500-a1b2',
    'latest',
    'TASK.md',
    './nope.md',
    'x'.repeat(5_000),
    '1e999',
    '-1',
    'NaN',
  ),
  fc.string({ maxLength: 30 }).filter((text) => !text.includes('\0')),
);

const OPTION_VALUES: Record<string, fc.Arbitrary<string>> = {
  '--budget': fc.oneof(
    fc.constantFrom('0', '-1', '$', '$1', '1e3', 'Infinity', '0x10', '.5', '2.50'),
    oddString,
  ),
  '-c': fc.constantFrom('missing.yaml', 'phasewise.yaml', '.', 'bad.yaml', 'x'.repeat(5_000), ''),
  '--config': fc.constantFrom('missing.yaml', 'bad.yaml', '/dev/null', 'dir'),
  '--workspace': fc.constantFrom('.', 'missing', 'bad.yaml', 'dir', '', 'x'.repeat(5_000)),
  '--format': fc.oneof(fc.constantFrom('terminal', 'md', 'json', 'html', 'pdf', ''), oddString),
  '-o': fc.constantFrom('out/report.md', 'dir', 'report.xyz', 'missing-dir/deeper/r.html'),
  '--output': fc.constantFrom('report.json', ''),
  '--phase': fc.oneof(fc.constantFrom('research', 'nope', ''), oddString),
  '--feedback': oddString,
  '--latency': fc.constantFrom('-1', 'abc', '60001', '1.5', '', '9'.repeat(30)),
  '--dir': fc.constantFrom('demo-dir'),
  '--policies': fc.oneof(fc.constantFrom('default', 'all-top,all-top', 'all-best', ',', ''), oddString),
  '--repeat': fc.constantFrom('0', '-1', '1.5', '101', 'two', '', '9'.repeat(30)),
  '--max-cost': fc.constantFrom('0', '-1', '$', 'Infinity', '0x10'),
  '--policy': fc.oneof(fc.constantFrom('all-top', 'all-cheapest', 'default', 'all-best', ''), oddString),
  '--commit': fc.constantFrom('HEAD', 'no-such-ref', '', '-x'),
  '--check': fc.constantFrom('true', 'false', ''),
};
/** `policy simulate`'s own options; the scratch directory holds no outcome table, so every case is refused. */
const POLICY_OPTION_VALUES: Record<string, fc.Arbitrary<string>> = {
  '--outcomes': fc.constantFrom('outcomes.json', 'bad.yaml', 'dir', '/dev/null', '', 'x'.repeat(5_000)),
  '--map': fc.oneof(fc.constantFrom('haiku=model-a', 'haiku=a,haiku=b', '=', 'opus=', ','), oddString),
  '--false-pass': fc.oneof(fc.constantFrom('0', '1', '1.5', '-0.1', '.5', 'NaN', '1e-3'), oddString),
  '--false-fail': fc.constantFrom('0.2', '2', 'abc', ''),
  '--trials': fc.constantFrom('0', '1', '1000001', '1.5', '-3', '9'.repeat(30)),
  '--seed': fc.constantFrom('0', '4294967296', '-1', 'x'),
  '--gate-from': fc.constantFrom('dir', 'missing', '.', ''),
  '--phase': fc.constantFrom('implementation', 'nope'),
  '-c': fc.constantFrom('missing.yaml', 'bad.yaml'),
};
const policyOption = fc.oneof(
  fc
    .constantFrom(...Object.keys(POLICY_OPTION_VALUES))
    .chain((name) =>
      fc.tuple(fc.constant(name), POLICY_OPTION_VALUES[name]!).map(([key, value]) => [key, value]),
    ),
  fc.constantFrom('--json', '--help', '--no-such-flag').map((flag) => [flag]),
  oddString.map((value) => [value]),
);

const FLAGS = [
  '--json',
  '--yes',
  '--force',
  '--break-lock',
  '--check-original',
  '--help',
  '-h',
  '-v',
  '--version',
  '--no-such-flag',
];

const option = fc.oneof(
  fc
    .constantFrom(...Object.keys(OPTION_VALUES))
    .chain((name) => fc.tuple(fc.constant(name), OPTION_VALUES[name]!).map(([key, value]) => [key, value])),
  fc.constantFrom(...FLAGS).map((flag) => [flag]),
  oddString.map((value) => [value]),
);

export const argvCase: fc.Arbitrary<string[]> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...COMMANDS),
        fc.array(oddString, { maxLength: 2 }),
        fc.array(option, { maxLength: 4 }),
      )
      .map(([command, positional, options]) => [command, ...positional, ...options.flat()]),
  },
  // `demo` only with a value it must refuse: a good one runs the whole demo.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('-1', 'abc', '60001', '')
      .map((latency) => ['demo', '--latency', latency, '--dir', 'demo-dir']),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(policyOption, { maxLength: 5 })
      .map((options) => ['policy', 'simulate', ...options.flat()]),
  },
  { weight: 1, arbitrary: fc.array(oddString, { minLength: 0, maxLength: 3 }) },
);

/** `demo` and `run` on a good configuration do real work; the scratch directory has no API key for them. */
export function isDangerous(argv: string[]): boolean {
  return argv[0] === 'demo' && !argv.includes('--latency');
}
