/**
 * The options several commands take, declared once: the same flags, value and parser wherever they appear. A
 * command names the ones it takes in `command-table.ts`, with its own description where its meaning there is
 * narrower (what `--json` prints, whose `--workspace` it is).
 */
import { parseUsd } from './option-parsers.js';

export interface OptionSpec {
  /** Commander's flags, e.g. `-c, --config <file>`. */
  readonly flags: string;
  readonly description: string;
  readonly defaultValue?: string;
  readonly parse?: (value: string) => unknown;
  /** The option must be given (Commander's `requiredOption`). */
  readonly required?: boolean;
  /** Set when the option is one of the shared ones: the same flags and parser on every command taking it. */
  readonly shared?: SharedOptionName;
}

const declarations = {
  config: { flags: '-c, --config <file>', description: 'configuration file' },
  workspace: { flags: '--workspace <dir>', description: 'the workspace holding the journal' },
  json: { flags: '--json', description: 'print one JSON event per line' },
  databaseUrl: {
    flags: '--database-url <url>',
    description:
      'use the shared Postgres journal at this URL, postgresql://USER@HOST:PORT/DB with the password after USER and a colon (better: PHASEWISE_DATABASE_URL and `journal: { kind: postgres }` in the config, which keep the password out of the process list)',
  },
  template: {
    flags: '--template <name>',
    description:
      'use a workflow template instead of a configuration file (see `phasewise templates`): bugfix, refactor, ...',
  },
  budget: {
    flags: '--budget <usd>',
    description: 'run budget in USD, overriding the config (e.g. 2.50)',
    parse: (value: string) => parseUsd('--budget', value),
  },
  maxCost: {
    flags: '--max-cost <usd>',
    description: 'ask before starting when the work may cost more',
    parse: (value: string) => parseUsd('--max-cost', value),
  },
  yes: {
    flags: '--yes',
    description: 'start even when the preview is above the limit (needed when not on a terminal)',
  },
} as const satisfies Record<string, Omit<OptionSpec, 'shared'>>;

export type SharedOptionName = keyof typeof declarations;

export const sharedOptionNames = Object.keys(declarations) as SharedOptionName[];

/** A shared option as a command takes it, with that command's description if it gives one. */
export function shared(name: SharedOptionName, description?: string): OptionSpec {
  return { ...declarations[name], ...(description === undefined ? {} : { description }), shared: name };
}

/** The workspace of a run that is started: the repository the agents work in. */
export const agentsWorkspace = 'the repository the agents work in';

/** The default description of `-c` where the command reads the configuration that is found. */
export const configFound =
  'configuration file (default: phasewise.yaml or orchestrator.yaml here, else built-in)';
