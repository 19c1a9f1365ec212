/**
 * `phasewise policy …` on the command line: its options, their parsers and help. The command itself is imported
 * when used, like every other, so `--help` starts fast.
 */
import { type Command, CommanderError } from 'commander';

export function addPolicyCommand(
  program: Command,
  done: (code: number) => void,
  examples: (...lines: string[]) => string,
): void {
  program
    .command('policy')
    .description('compare escalation policies on recorded per-task outcomes')
    .command('simulate')
    .description(
      'replay the configured policy, each single tier and the oracle over a table of per-task outcomes: solved, cost, wrong work shipped',
    )
    .requiredOption(
      '--outcomes <file>',
      'the outcome table (JSON: source, models with tier_rank, tasks with results)',
    )
    .option(
      '-c, --config <file>',
      'configuration file (default: phasewise.yaml or orchestrator.yaml here, else built-in)',
    )
    .option(
      '--map <tiers>',
      "which model plays each tier, e.g. haiku=model-a,sonnet=model-b,opus=model-c (default: the configuration's model names, else tier_rank)",
    )
    .option(
      '--phase <id>',
      'the phase whose starting tier and ladder are simulated (default: the implementation phase)',
    )
    .option(
      '--false-pass <rate>',
      "the gate's false-pass rate, 0–1: it accepts unsolved work (default 0)",
      (value) => parseRate('--false-pass', value),
    )
    .option(
      '--false-fail <rate>',
      "the gate's false-fail rate, 0–1: it rejects solved work (default 0)",
      (value) => parseRate('--false-fail', value),
    )
    .option('--trials <n>', 'Monte Carlo trials when the verifier is imperfect (default 1000)', (value) =>
      parseWhole('--trials', value, 1, 1_000_000),
    )
    .option('--seed <n>', 'seed of the trials (default 1)', (value) =>
      parseWhole('--seed', value, 0, 4_294_967_295),
    )
    .option('--gate-from <dir>', "take the rates from an eval's gate-accuracy.json in DIR (flags win)")
    .option('--json', 'print the simulation as JSON')
    .addHelpText(
      'after',
      examples(
        'phasewise policy simulate --outcomes outcomes.json',
        'phasewise policy simulate --outcomes outcomes.json --false-pass 0.1 --false-fail 0.05 --trials 2000',
        'phasewise policy simulate --outcomes outcomes.json -c phasewise.yaml --map haiku=gpt-5-mini,sonnet=gpt-5,opus=claude-opus-4-5 --json',
        'phasewise policy simulate --outcomes eval-out/outcomes.json --gate-from eval-out',
      ),
    )
    .action(async (options) => done((await import('./commands/policy.js')).policySimulateCommand(options)));
}

function parseRate(flag: string, value: string): number {
  const rate = /^(\d+(\.\d+)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
  if (!(rate >= 0 && rate <= 1))
    throw new CommanderError(
      2,
      'phasewise.rate',
      `${flag} must be a rate from 0 to 1 (e.g. 0.1), got "${value}"`,
    );
  return rate;
}

function parseWhole(flag: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(Number.isSafeInteger(number) && number >= min && number <= max))
    throw new CommanderError(
      2,
      'phasewise.whole',
      `${flag} must be a whole number from ${min} to ${max}, got "${value}"`,
    );
  return number;
}
