/**
 * The GitHub commands (issue 19): `pr` pushes an isolated run's branch and opens or updates its pull request,
 * `action` is what the GitHub Action (action.yml) runs. Kept apart from the command table so they read together.
 */

import { commandModule } from './command-module.js';
import type { CommandSpec } from './command-spec.js';
import { runId } from './review-command-specs.js';
import { shared } from './shared-options.js';

export const pullRequest: CommandSpec = {
  name: 'pr',
  description:
    "push an isolated run's branch (phasewise/<run-id>) and open a GitHub pull request with its report, or update the one open (token: GITHUB_TOKEN)",
  arguments: [runId],
  options: [
    {
      flags: '--repo <owner/name>',
      description: 'the GitHub repository (default: from the origin remote)',
    },
    {
      flags: '--base <branch>',
      description: "the branch to merge into (default: the remote's default branch)",
    },
    shared('workspace'),
    shared('databaseUrl'),
    shared('json', 'print the pull request as JSON'),
  ],
  examples: [
    'phasewise pr 20261206-101500-a1b2',
    'phasewise pr 20261206-101500-a1b2 --repo octo-org/widgets --base develop',
  ],
  run: async ([id], options) =>
    (await commandModule(import('./commands/pr.js'))).prCommand(id ?? '', options),
};

export const githubAction: CommandSpec = {
  name: 'action',
  description:
    'in a GitHub Action (action.yml): run the task of a `/phasewise <task>` comment or a `phasewise`-labelled issue on a branch, open the pull request, comment the report',
  options: [shared('config'), shared('budget')],
  examples: [
    'phasewise action    # reads GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN',
  ],
  run: async (_args, options) => (await commandModule(import('./commands/action.js'))).actionCommand(options),
};
