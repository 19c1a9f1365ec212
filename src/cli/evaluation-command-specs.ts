/**
 * The commands that measure rather than run: `policy simulate` replays the escalation policy over recorded
 * outcomes, `eval` runs a task set under several policies, `compare` re-runs a finished run under another.
 */

import { commandModule } from './command-module.js';
import type { CommandSpec } from './command-spec.js';
import type { PolicySimulateOptions } from './commands/policy.js';
import { parseRate, parseRepeat, parseWhole } from './option-parsers.js';
import { configFound, shared } from './shared-options.js';

export const policySimulate: CommandSpec = {
  name: 'policy simulate',
  description:
    'replay the configured policy, each single tier and the oracle over a table of per-task outcomes: solved, cost, wrong work shipped',
  options: [
    {
      flags: '--outcomes <file>',
      description: 'the outcome table (JSON: source, models with tier_rank, tasks with results)',
      required: true,
    },
    shared('config', configFound),
    {
      flags: '--map <tiers>',
      description:
        "which model plays each tier, e.g. haiku=model-a,sonnet=model-b,opus=model-c (default: the configuration's model names, else tier_rank)",
    },
    {
      flags: '--phase <id>',
      description:
        'the phase whose starting tier and ladder are simulated (default: the implementation phase)',
    },
    {
      flags: '--false-pass <rate>',
      description: "the gate's false-pass rate, 0–1: it accepts unsolved work (default 0)",
      parse: (value) => parseRate('--false-pass', value),
    },
    {
      flags: '--false-fail <rate>',
      description: "the gate's false-fail rate, 0–1: it rejects solved work (default 0)",
      parse: (value) => parseRate('--false-fail', value),
    },
    {
      flags: '--trials <n>',
      description: 'Monte Carlo trials when the verifier is imperfect (default 1000)',
      parse: (value) => parseWhole('--trials', value, 1, 1_000_000),
    },
    {
      flags: '--seed <n>',
      description: 'seed of the trials (default 1)',
      parse: (value) => parseWhole('--seed', value, 0, 4_294_967_295),
    },
    {
      flags: '--gate-from <dir>',
      description: "take the rates from an eval's gate-accuracy.json in DIR (flags win)",
    },
    shared('json', 'print the simulation as JSON'),
  ],
  examples: [
    'phasewise policy simulate --outcomes outcomes.json',
    'phasewise policy simulate --outcomes outcomes.json --false-pass 0.1 --false-fail 0.05 --trials 2000',
    'phasewise policy simulate --outcomes outcomes.json -c phasewise.yaml --map haiku=gpt-5-mini,sonnet=gpt-5,opus=claude-opus-4-5 --json',
    'phasewise policy simulate --outcomes eval-out/outcomes.json --gate-from eval-out',
  ],
  run: async (_args, options) =>
    (await commandModule(import('./commands/policy.js'))).policySimulateCommand(
      // `--outcomes` is a required option: Commander refuses the command line without it.
      options as PolicySimulateOptions,
    ),
};

export const evalTasks: CommandSpec = {
  name: 'eval',
  description:
    "run a task set under several policies, each run in its own git worktree, checked by each task's hidden check",
  arguments: [
    ['<taskset>', 'a folder of task files (one YAML each: task, repository, commit, hidden_check)'],
  ],
  options: [
    {
      flags: '--policies <list>',
      description:
        'comma-separated: default, all-top, all-cheapest, all-<tier> (default: default and each all-<tier>)',
    },
    {
      flags: '--repeat <k>',
      description: 'runs of each task under each policy (default 1)',
      parse: parseRepeat,
    },
    {
      flags: '-o, --output <dir>',
      description:
        'the eval folder (default: the unfinished one of the same eval, else .phasewise/eval/<time>)',
    },
    shared('config'),
    shared('maxCost', 'ask before starting when the eval may cost more (default: the run budget × runs)'),
    shared('yes'),
  ],
  examples: [
    'phasewise eval eval/tasks --policies default,all-top --repeat 3',
    'phasewise eval eval/tasks -o eval-out --yes    # run it again to resume after a stop',
  ],
  run: async ([taskSet], options) =>
    (await commandModule(import('./commands/eval.js'))).evalCommand(taskSet!, options),
};

export const compareRun: CommandSpec = {
  name: 'compare',
  description:
    "re-run a finished run's task under another policy in a git worktree, and measure the difference",
  arguments: [['<run>', 'run id of a finished run (see `phasewise runs`)']],
  options: [
    {
      flags: '--policy <name>',
      description: 'all-top, all-cheapest, all-<tier> or default (default: all-top)',
    },
    {
      flags: '-o, --output <dir>',
      description: 'the comparison folder (default: .phasewise/compare/<hash> in the workspace)',
    },
    shared('workspace'),
    { flags: '--commit <ref>', description: 'the commit the re-run starts from (default: HEAD)' },
    {
      flags: '--check <command>',
      description: "a command run in the re-run's worktree once it ended; exit 0 means right",
    },
    { flags: '--check-original', description: 'run --check in the original workspace too' },
    shared('maxCost', 'ask before starting when the re-run may cost more (default: the run budget)'),
    shared('yes'),
    shared('json', 'print the comparison as JSON'),
  ],
  examples: [
    'phasewise compare 20261129-101500-a1b2 --policy all-top --yes',
    'phasewise compare 20261129-101500-a1b2 --check "npm test" --check-original --json',
  ],
  run: async ([id], options) =>
    (await commandModule(import('./commands/compare.js'))).compareCommand(id!, options),
};
