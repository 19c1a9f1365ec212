/**
 * Command lines for the bad-input suite: every command, its real options with good and bad values, unknown
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
  'eval',
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
};
const FLAGS = ['--json', '--yes', '--force', '--break-lock', '--help', '-h', '-v', '--version', '--no-such-flag'];

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
  { weight: 1, arbitrary: fc.array(oddString, { minLength: 0, maxLength: 3 }) },
);

/** `demo` and `run` on a good configuration do real work; the scratch directory has no API key for them. */
export function isDangerous(argv: string[]): boolean {
  return argv[0] === 'demo' && !argv.includes('--latency');
}
