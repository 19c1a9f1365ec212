/**
 * The commands of queued runs and workers (issue 17): `submit` queues a run in the shared Postgres journal,
 * `worker` executes queued runs on any number of machines. Kept apart from the command table so they read
 * together.
 */

import { commandModule } from './command-module.js';
import type { CommandSpec } from './command-spec.js';
import { parseWhole } from './option-parsers.js';
import { shared } from './shared-options.js';

const task = ['[task]', 'the task: text, or a file holding it (default: `task:` in the config)'] as const;

export const submit: CommandSpec = {
  name: 'submit',
  description:
    'queue a run in the shared Postgres journal for a worker (`phasewise worker`) and print its id; needs --database-url or `journal: { kind: postgres }`',
  arguments: [task],
  options: [
    shared(
      'config',
      'configuration file checked before the run is queued (the worker runs the one committed in the repository)',
    ),
    shared('budget'),
    shared('databaseUrl'),
    {
      flags: '--repo <url>',
      description:
        'the git repository the run works on, a URL or a path the workers can reach (default: this repository’s origin remote, else its folder)',
    },
    {
      flags: '--ref <commit>',
      description: 'the commit (or branch, tag) the run starts from (default: HEAD of this repository)',
    },
  ],
  examples: [
    'phasewise submit "Move session auth to JWT"    # this repository at HEAD',
    'phasewise submit TASK.md --repo git@github.com:acme/shop.git --ref 4f2a9c1',
  ],
  run: async ([text], options) =>
    (await commandModule(import('./commands/submit.js'))).submitCommand(text, options),
};

export const worker: CommandSpec = {
  name: 'worker',
  description:
    'execute queued runs from the shared Postgres journal until stopped (Ctrl-C: running runs are queued again); start one on each machine of the pool',
  options: [
    shared('databaseUrl'),
    {
      flags: '--concurrency <n>',
      description: 'runs this worker executes at once (default: 1)',
      parse: (value: string) => parseWhole('--concurrency', value, 1, 64),
    },
    {
      flags: '--global-concurrency <n>',
      description: 'runs the whole pool executes at once (every worker sees the last value set)',
      parse: (value: string) => parseWhole('--global-concurrency', value, 1, 1024),
    },
    {
      flags: '--lease <duration>',
      description:
        'how long this worker may stay silent before a live peer recovers its runs; it renews every third of it (default: 30s)',
    },
    {
      flags: '--work-dir <dir>',
      description: "where runs' repositories are fetched, one folder per run",
      defaultValue: '.phasewise/worker',
    },
  ],
  examples: [
    'phasewise worker    # the database in $PHASEWISE_DATABASE_URL',
    'phasewise worker --concurrency 4 --work-dir /var/lib/phasewise',
  ],
  run: async (_args, options) => (await commandModule(import('./commands/worker.js'))).workerCommand(options),
};
