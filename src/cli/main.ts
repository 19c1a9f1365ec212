/**
 * The command line: parses arguments, runs one command, turns any error into a clear message and the documented
 * exit code. Commands are imported when used, so `--version` and `--help` start fast.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { asInvoked, invocationName, invokedAs, useInvocationName } from './invocation.js';
import { addPolicyCommand } from './policy-program.js';
import { reportError } from './report-error.js';
import { refuseRepeatedOptions } from './single-valued-options.js';

const examples = (...lines: string[]) =>
  `\nExamples:\n${lines.map((line) => `  $ ${asInvoked(line)}`).join('\n')}\n`;

function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function budgetOption(): Option {
  return usdOption('--budget <usd>', 'run budget in USD, overriding the config (e.g. 2.50)');
}

function usdOption(flags: string, description: string): Option {
  const name = flags.split(' ')[0]!;
  return new Option(flags, description).argParser((value) => {
    const amount = /^\$?(\d+(\.\d+)?|\.\d+)$/.test(value) ? Number(value.replace(/^\$/, '')) : Number.NaN;
    if (!Number.isFinite(amount) || amount <= 0)
      throw new CommanderError(
        2,
        `phasewise.${name.replace(/^--/, '')}`,
        `${name} must be a positive amount in USD, got "${value}"`,
      );
    return amount;
  });
}

function parseRepeat(value: string): number {
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1 || count > 100)
    throw new CommanderError(
      2,
      'phasewise.repeat',
      `--repeat must be a whole number from 1 to 100, got "${value}"`,
    );
  return count;
}

function parseLatency(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms > 60_000)
    throw new CommanderError(
      2,
      'phasewise.latency',
      `--latency must be whole milliseconds up to 60000, got "${value}"`,
    );
  return ms;
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command(invokedAs())
    .description('Run a software task through gated, budgeted LLM phases with a durable journal.')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `\nExit codes: 0 done (verification says go) · 2 usage or config error · 3 halted, aborted or no-go · 4 budget exhausted · 5 timed out · 130 interrupted (resumable) · 1 internal error\n`,
  );
  const done = (code: number) => setExitCode(code);

  program
    .command('init')
    .description('write a commented phasewise.yaml (the built-in five-phase workflow)')
    .option('-o, --output <file>', 'where to write it', 'phasewise.yaml')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', examples('phasewise init', 'phasewise init -o orchestrator.yaml'))
    .action(async (options) => done((await import('./commands/init.js')).initCommand(options)));

  program
    .command('validate')
    .description('check the configuration and print the resolved plan (phases, models, limits, gates)')
    .option(
      '-c, --config <file>',
      'configuration file (default: phasewise.yaml or orchestrator.yaml here, else built-in)',
    )
    .option('--workspace <dir>', 'the repository the agents work in')
    .option('--json', 'print the resolved workflow as JSON')
    .addHelpText('after', examples('phasewise validate', 'phasewise validate -c ci/phasewise.yaml --json'))
    .action(async (options) => done((await import('./commands/validate.js')).validateCommand(options)));

  program
    .command('estimate')
    .description('dry run: prompts assembled, a cost range per phase and for the run; no model is called')
    .argument('[task]', 'the task: text, or a file holding it (default: `task:` in the config)')
    .option('-c, --config <file>', 'configuration file')
    .option('--workspace <dir>', 'the repository the agents work in')
    .option('--json', 'print the estimate as JSON')
    .addHelpText(
      'after',
      examples('phasewise estimate "Move session auth to JWT"', 'phasewise estimate TASK.md --json'),
    )
    .action(async (task, options) =>
      done((await import('./commands/estimate.js')).estimateCommand(task, options)),
    );

  program
    .command('run')
    .description('run the workflow on a task')
    .argument('[task]', 'the task: text, or a file holding it (default: `task:` in the config)')
    .option('-c, --config <file>', 'configuration file')
    .option('--workspace <dir>', 'the repository the agents work in')
    .addOption(budgetOption())
    .option('--json', 'print one JSON event per line')
    .addHelpText(
      'after',
      examples(
        'phasewise run "Move session auth to JWT"',
        'phasewise run TASK.md --budget 2 --json > events.ndjson',
      ),
    )
    .action(async (task, options) =>
      done(await (await import('./commands/run.js')).runCommand(task, options)),
    );

  program
    .command('resume')
    .description('continue an interrupted, crashed, halted or failed run from its journal')
    .argument('<run>', 'run id (see `phasewise runs`)')
    .option('-c, --config <file>', 'configuration file (default: the one the run started with)')
    .option('--workspace <dir>', 'the workspace holding the journal')
    .option('--force', 'resume even though the configuration changed since the run started')
    .option(
      '--break-lock',
      'take the run from a holder that cannot be checked (another host); only if it is gone',
    )
    .addOption(budgetOption())
    .option('--json', 'print one JSON event per line')
    .addHelpText(
      'after',
      examples(
        'phasewise resume 20261129-101500-a1b2',
        'phasewise resume 20261129-101500-a1b2 --force            # after editing phasewise.yaml',
        'phasewise resume 20261129-101500-a1b2 --budget 3 --force # more money for a run that ran out',
      ),
    )
    .action(async (runId, options) =>
      done(await (await import('./commands/run.js')).resumeCommand(runId, options)),
    );

  program
    .command('status')
    .description('show where a run stands (default: the latest run)')
    .argument('[run]', 'run id')
    .option('-c, --config <file>', 'configuration file')
    .option('--workspace <dir>', 'the workspace holding the journal')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', examples('phasewise status', 'phasewise status 20261129-101500-a1b2 --json'))
    .action(async (runId, options) =>
      done((await import('./commands/status.js')).statusCommand(runId, options)),
    );

  program
    .command('runs')
    .description('list the runs in this workspace, newest first')
    .option('-c, --config <file>', 'configuration file')
    .option('--workspace <dir>', 'the workspace holding the journal')
    .option('--json', 'one JSON object per run')
    .addHelpText('after', examples('phasewise runs', 'phasewise runs --json | jq .status'))
    .action(async (options) => done((await import('./commands/status.js')).runsCommand(options)));

  for (const [action, description] of [
    ['approve', 'accept the output of a phase halted for review, and continue the run'],
    ['reject', 'send a phase halted for review back for another attempt, with your feedback'],
    ['abort', 'end a run halted for review'],
  ] as const) {
    const command = program
      .command(action)
      .description(description)
      .argument('<run>', 'run id (see `phasewise runs`)')
      .option('--phase <id>', 'the halted phase, when several wait')
      .option('--workspace <dir>', 'the workspace holding the journal')
      .option('--json', 'print one JSON event per line');
    if (action === 'reject') command.requiredOption('--feedback <text>', 'what the next attempt must change');
    command
      .addHelpText(
        'after',
        examples(
          action === 'reject'
            ? `phasewise reject 20261129-101500-a1b2 --feedback "Cover the refresh-token rotation too"`
            : `phasewise ${action} 20261129-101500-a1b2`,
          `phasewise ${action} 20261129-101500-a1b2 --phase planning${action === 'reject' ? ' --feedback "…"' : ''}`,
        ),
      )
      .action(async (runId, options) =>
        done(await (await import('./commands/review.js')).reviewCommand(action, runId, options)),
      );
  }

  program
    .command('report')
    .description('what a run cost, where the money went, whether quality held (default: the latest run)')
    .argument('[run]', 'run id')
    .option('--format <format>', 'terminal, md, json or html (default: from -o, else terminal)')
    .option(
      '-o, --output <file>',
      'write the report to a regular file (replaced atomically; its folder must exist)',
    )
    .option('--workspace <dir>', 'the workspace holding the journal')
    .addHelpText(
      'after',
      examples('phasewise report', 'phasewise report 20261129-101500-a1b2 --format md -o run.md'),
    )
    .action(async (runId, options) =>
      done((await import('./commands/report.js')).reportCommand(runId, options)),
    );

  addPolicyCommand(program, done, examples);

  program
    .command('eval')
    .description(
      "run a task set under several policies, each run in its own git worktree, checked by each task's hidden check",
    )
    .argument('<taskset>', 'a folder of task files (one YAML each: task, repository, commit, hidden_check)')
    .option(
      '--policies <list>',
      'comma-separated: default, all-top, all-cheapest, all-<tier> (default: default and each all-<tier>)',
    )
    .option('--repeat <k>', 'runs of each task under each policy (default 1)', (value) => parseRepeat(value))
    .option(
      '-o, --output <dir>',
      'the eval folder (default: the unfinished one of the same eval, else .phasewise/eval/<time>)',
    )
    .option('-c, --config <file>', 'configuration file')
    .addOption(
      usdOption(
        '--max-cost <usd>',
        'ask before starting when the eval may cost more (default: the run budget × runs)',
      ),
    )
    .option('--yes', 'start even when the preview is above the limit (needed when not on a terminal)')
    .addHelpText(
      'after',
      examples(
        'phasewise eval eval/tasks --policies default,all-top --repeat 3',
        'phasewise eval eval/tasks -o eval-out --yes    # run it again to resume after a stop',
      ),
    )
    .action(async (taskSet, options) =>
      done(await (await import('./commands/eval.js')).evalCommand(taskSet, options)),
    );

  program
    .command('compare')
    .description(
      "re-run a finished run's task under another policy in a git worktree, and measure the difference",
    )
    .argument('<run>', 'run id of a finished run (see `phasewise runs`)')
    .option('--policy <name>', 'all-top, all-cheapest, all-<tier> or default (default: all-top)')
    .option(
      '-o, --output <dir>',
      'the comparison folder (default: .phasewise/compare/<hash> in the workspace)',
    )
    .option('--workspace <dir>', 'the workspace holding the journal')
    .option('--commit <ref>', 'the commit the re-run starts from (default: HEAD)')
    .option('--check <command>', "a command run in the re-run's worktree once it ended; exit 0 means right")
    .option('--check-original', 'run --check in the original workspace too')
    .addOption(
      usdOption(
        '--max-cost <usd>',
        'ask before starting when the re-run may cost more (default: the run budget)',
      ),
    )
    .option('--yes', 'start even when the preview is above the limit (needed when not on a terminal)')
    .option('--json', 'print the comparison as JSON')
    .addHelpText(
      'after',
      examples(
        'phasewise compare 20261129-101500-a1b2 --policy all-top --yes',
        'phasewise compare 20261129-101500-a1b2 --check "npm test" --check-original --json',
      ),
    )
    .action(async (runId, options) =>
      done(await (await import('./commands/compare.js')).compareCommand(runId, options)),
    );

  program
    .command('demo')
    .description(
      'run the bundled example end to end against a local fake LLM server (no API key, no real LLM called)',
    )
    .option('--dir <dir>', 'where to put the example workspace (default: a new temporary directory)')
    .option('--json', 'print one JSON event per line')
    .option('--latency <ms>', "the fake server's time to first token per answer (default 300)", (value) =>
      parseLatency(value),
    )
    .addHelpText('after', examples('phasewise demo', 'phasewise demo --dir ./demo-run'))
    .action(async (options) =>
      done(
        await (await import('./commands/demo.js')).demoCommand({
          dir: options.dir,
          json: options.json,
          latencyMs: options.latency,
        }),
      ),
    );

  return program;
}

export async function main(argv: string[]): Promise<number> {
  // A reader that goes away (`phasewise run --json | head -1`) must not cost the run: output is dropped, the run
  // goes on and is journaled as usual.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  // The AI SDK prints its own warnings to the console; phasewise reports through its events instead.
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  useInvocationName(invocationName());
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  refuseRepeatedOptions(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      // Commander prints its own errors; the option parsers' own ones (--budget, --latency) are printed here.
      if (error.code.startsWith('phasewise.')) process.stderr.write(`phasewise: error: ${error.message}\n`);
      return 2;
    }
    return reportError(error);
  }
}
