/**
 * The three answers to a run halted for review — `approve`, `reject`, `abort` — as commands: one shape, told
 * apart by what each does and whether it takes feedback. The run id argument is every run command's.
 */

import { commandModule } from './command-module.js';
import type { CommandSpec } from './command-spec.js';
import { shared } from './shared-options.js';

export const runId = ['<run>', 'run id (see `phasewise runs`)'] as const;

const reviewDescriptions = {
  approve: 'accept the output of a phase halted for review, and continue the run',
  reject: 'send a phase halted for review back for another attempt, with your feedback',
  abort:
    'end a run halted for review, and remove its worktrees and branches; a queued run waiting for a worker or running on one is stopped by its worker within seconds',
} as const;

export function reviewCommand(action: keyof typeof reviewDescriptions): CommandSpec {
  const rejecting = action === 'reject';
  return {
    name: action,
    description: reviewDescriptions[action],
    arguments: [runId],
    options: [
      { flags: '--phase <id>', description: 'the halted phase, when several wait' },
      shared('workspace'),
      shared('databaseUrl'),
      shared('json'),
      ...(rejecting
        ? [{ flags: '--feedback <text>', description: 'what the next attempt must change', required: true }]
        : []),
    ],
    examples: [
      rejecting
        ? `phasewise reject 20261129-101500-a1b2 --feedback "Cover the refresh-token rotation too"`
        : `phasewise ${action} 20261129-101500-a1b2`,
      `phasewise ${action} 20261129-101500-a1b2 --phase planning${rejecting ? ' --feedback "…"' : ''}`,
    ],
    run: async ([id], options) =>
      (await commandModule(import('./commands/review.js'))).reviewCommand(action, id!, options),
  };
}
