/**
 * The command line: parses arguments, runs one command, turns any error into a clear message and the documented
 * exit code. Commands are imported when used, so `--version` and `--help` start fast.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { addCommand, type CommandSpec } from './command-spec.js';
import { commandTable } from './command-table.js';
import { invocationName, invokedAs, useInvocationName } from './invocation.js';
import { reportError } from './report-error.js';
import { refuseRepeatedOptions } from './single-valued-options.js';

function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** The program: its own words, then every command of the table (`command-table.ts`). */
export function buildProgram(
  setExitCode: (code: number) => void,
  commands: readonly CommandSpec[] = commandTable,
): Command {
  const program = new Command(invokedAs())
    .description('Run a software task through gated, budgeted LLM phases with a durable journal.')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `\nExit codes: 0 done (verification says go) · 2 usage or config error · 3 halted, aborted or no-go · 4 budget exhausted · 5 timed out · 130 interrupted (resumable) · 1 internal error\n`,
  );
  for (const spec of commands) addCommand(program, spec, setExitCode);
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
