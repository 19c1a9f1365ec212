/**
 * An option that takes one value may be given once: `-c a.yaml -c b.yaml` or `--budget 1 --budget 500` would
 * otherwise silently keep the last, and a script that appends an option to a command line would change a run
 * without anyone noticing. Applied to every command, so a new option is covered without a line of its own.
 */
import { type Command, CommanderError } from 'commander';

export function refuseRepeatedOptions(command: Command): void {
  const seen = new Map<string, string>();
  for (const option of command.options) {
    if (option.variadic || !(option.required || option.optional)) continue;
    command.on(`option:${option.name()}`, (value: unknown) => {
      const earlier = seen.get(option.name());
      if (earlier !== undefined) {
        throw new CommanderError(
          2,
          'phasewise.repeated-option',
          `${option.long ?? option.short} was given twice (${earlier} and ${String(value)}); give it once`,
        );
      }
      seen.set(option.name(), String(value));
    });
  }
  for (const sub of command.commands) refuseRepeatedOptions(sub);
}
