/**
 * The options several commands share are declared once (`src/cli/shared-options.ts`): every command the table
 * gives one to accepts it, parses it the same way and lists it in its help. Each command line goes through the
 * real program built from the real table; only what a command runs is replaced, by a recorder.
 */
import type { Command, OptionValues } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/cli/command-spec.js';
import { commandTable } from '../../src/cli/command-table.js';
import { buildProgram } from '../../src/cli/main.js';
import { type SharedOptionName, sharedOptionNames } from '../../src/cli/shared-options.js';

/** What each shared option is given on the command line, and the value the command must receive. */
const samples: Record<SharedOptionName, { argv: string[]; key: string; value: unknown }> = {
  config: { argv: ['-c', 'ci/phasewise.yaml'], key: 'config', value: 'ci/phasewise.yaml' },
  workspace: { argv: ['--workspace', '/srv/repo'], key: 'workspace', value: '/srv/repo' },
  json: { argv: ['--json'], key: 'json', value: true },
  databaseUrl: {
    argv: ['--database-url', 'postgresql://u@db:5432/pw'],
    key: 'databaseUrl',
    value: 'postgresql://u@db:5432/pw',
  },
  budget: { argv: ['--budget', '$2.50'], key: 'budget', value: 2.5 },
  maxCost: { argv: ['--max-cost', '3'], key: 'maxCost', value: 3 },
  yes: { argv: ['--yes'], key: 'yes', value: true },
  template: { argv: ['--template', 'bugfix'], key: 'template', value: 'bugfix' },
};

interface Received {
  command: string;
  args: readonly string[];
  options: OptionValues;
}

function recordingProgram(received: Received[]): Command {
  const recording = commandTable.map(
    (spec): CommandSpec => ({
      ...spec,
      run: (args, options) => {
        received.push({ command: spec.name, args, options });
        return 0;
      },
    }),
  );
  return buildProgram(() => {}, recording).configureOutput({ writeOut: () => {}, writeErr: () => {} });
}

function commandNamed(program: Command, name: string): Command {
  return name
    .split(' ')
    .reduce((parent, word) => parent.commands.find((command) => command.name() === word)!, program);
}

/** The least a command line needs besides the option under test: its required arguments and options. */
function requiredParts(command: Command): string[] {
  const args = command.registeredArguments.filter((argument) => argument.required).map(() => 'r1');
  const options = command.options
    .filter((option) => option.mandatory)
    .flatMap((option) => [option.long!, 'x']);
  return [...args, ...options];
}

const uses = commandTable.flatMap((spec) =>
  spec.options.flatMap((option) => (option.shared ? [[spec.name, option.shared] as const] : [])),
);

describe('shared options', () => {
  it('are taken by the commands that run, read and review runs', () => {
    const takers = (name: SharedOptionName) => uses.filter(([, shared]) => shared === name).map(([c]) => c);
    expect(takers('config')).toEqual(
      expect.arrayContaining(['validate', 'estimate', 'run', 'resume', 'status', 'runs', 'eval']),
    );
    expect(takers('workspace')).toEqual(
      expect.arrayContaining(['validate', 'run', 'resume', 'status', 'approve', 'report', 'compare']),
    );
    expect(takers('json').length).toBeGreaterThanOrEqual(8);
    for (const name of sharedOptionNames) expect(takers(name).length).toBeGreaterThanOrEqual(2);
  });

  it.each(uses)('%s accepts the shared option %s', async (name, shared) => {
    const received: Received[] = [];
    const program = recordingProgram(received);
    const command = commandNamed(program, name);
    const sample = samples[shared];
    await program.parseAsync([...name.split(' '), ...requiredParts(command), ...sample.argv], {
      from: 'user',
    });
    expect(received).toHaveLength(1);
    expect(received[0]!.command).toBe(name);
    expect(received[0]!.options[sample.key]).toEqual(sample.value);
    expect(command.helpInformation()).toContain(
      sample.argv[0]!.startsWith('-c') ? '-c, --config' : sample.argv[0],
    );
  });

  it.each(uses)('%s gives the same flags to %s as every other command', (name, shared) => {
    const flags = (commandName: string) =>
      commandTable
        .find((spec) => spec.name === commandName)!
        .options.filter((option) => option.shared === shared)
        .map((option) => [option.flags, option.parse === undefined]);
    const first = uses.find(([, other]) => other === shared)![0];
    expect(flags(name)).toEqual(flags(first));
  });

  it('refuses a bad value of a shared option the same way on every command that takes it', async () => {
    for (const [name] of uses.filter(([, shared]) => shared === 'budget')) {
      const program = recordingProgram([]);
      const command = commandNamed(program, name);
      await expect(
        program.parseAsync([...name.split(' '), ...requiredParts(command), '--budget', '-3'], {
          from: 'user',
        }),
      ).rejects.toMatchObject({
        code: 'phasewise.budget',
        message: '--budget must be a positive amount in USD, got "-3"',
      });
    }
  });
});
