/**
 * What a command of the CLI is, as data: its name, words, arguments, options and the function that runs it.
 * `command-table.ts` lists them; `addCommand` turns one into a Commander command. Options shared by several
 * commands are declared once in `shared-options.ts`.
 */
import { type Command, Option, type OptionValues } from 'commander';
import { asInvoked } from './invocation.js';
import type { OptionSpec } from './shared-options.js';

export interface CommandSpec {
  /** The words after `phasewise`: one, or a group and its subcommand (`policy simulate`). */
  readonly name: string;
  readonly description: string;
  /** `[name]` is optional, `<name>` required; with the help line of each. */
  readonly arguments?: readonly (readonly [name: string, description: string])[];
  /** In the order `--help` lists them. */
  readonly options: readonly OptionSpec[];
  /** Command lines written as `phasewise …`; shown as the user invoked phasewise. */
  readonly examples: readonly string[];
  /**
   * Runs the command (its module imported when used, so `--help` starts fast) and gives its exit code.
   * `args` holds the arguments in the order declared; a required one is always present.
   */
  readonly run: (args: readonly string[], options: OptionValues) => number | Promise<number>;
}

/** The group commands that only hold subcommands (`policy`), with their descriptions. */
export const commandGroups: Readonly<Record<string, string>> = {
  policy: 'compare escalation policies on recorded per-task outcomes',
  db: 'the shared Postgres journal',
};

export function addCommand(program: Command, spec: CommandSpec, done: (code: number) => void): Command {
  const command = parentOf(program, spec.name).command(spec.name.split(' ').at(-1)!);
  command.description(spec.description);
  for (const [name, description] of spec.arguments ?? []) command.argument(name, description);
  for (const option of spec.options) command.addOption(commanderOption(option));
  // Written only when help is shown.
  command.addHelpText(
    'after',
    () => `\nExamples:\n${spec.examples.map((line) => `  $ ${asInvoked(line)}`).join('\n')}\n`,
  );
  command.action(async (...params: unknown[]) => {
    // Commander passes the declared arguments, then the option values, then the command.
    const args = params.slice(0, -2).map((value) => value as string);
    done(await spec.run(args, params.at(-2) as OptionValues));
  });
  return command;
}

function parentOf(program: Command, name: string): Command {
  const words = name.split(' ');
  if (words.length === 1) return program;
  const group = words[0]!;
  const existing = program.commands.find((command) => command.name() === group);
  if (existing) return existing;
  const description = commandGroups[group];
  if (description === undefined) throw new Error(`command group "${group}" has no description`);
  return program.command(group).description(description);
}

function commanderOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
  if (spec.parse) option.argParser(spec.parse);
  if (spec.required) option.makeOptionMandatory(true);
  return option;
}
