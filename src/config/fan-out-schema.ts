import { posix } from 'node:path';
import { z } from 'zod';
import { DEFAULT_FAN_OUT_MAX_PARALLEL } from './defaults.js';
import { nameField, positiveMoneyField } from './schema-fields.js';
import { FAN_OUT_FROM_TASK, FAN_OUT_OFF } from './vocabulary.js';

/**
 * A phase's `fan_out:`, as written: `off`, or where its work items come from, how many run at once, what one
 * item may spend and which of the workspace's git-ignored paths each item's worktree gets a copy of. Whether `from` is upstream, the agent can write and the item's limit fits the phase's are
 * questions about the whole workflow, answered by `resolve-fan-out.ts`.
 */

/** The most items of one phase that may run at the same time: each holds a worktree and a model call. */
export const MAX_FAN_OUT_PARALLEL = 16;

/** Folders that are never copied into a worktree: git's own, and phasewise's (which holds the worktrees). */
const NEVER_COPIED = ['.git', '.phasewise'];

/**
 * One `copy_ignored` path: relative to the workspace and inside it, read as written (`node_modules/` and
 * `./node_modules` are `node_modules`).
 */
const ignoredPathField = z
  .string({ error: 'expected a path relative to the workspace, such as node_modules' })
  .transform((value, context) => {
    const refuse = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (value.trim() === '') return refuse('expected a path relative to the workspace, such as node_modules');
    if (posix.isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('~'))
      return refuse(
        `${JSON.stringify(value)} is not relative to the workspace: write it from the workspace, such as node_modules or packages/api/.env`,
      );
    if (value.split(/[\\/]/).includes('..'))
      return refuse(
        `${JSON.stringify(value)} leads out of the workspace: \`..\` is not allowed; a worktree gets copies of the workspace's own files only`,
      );
    const path = posix.normalize(value).replace(/\/+$/, '');
    if (path === '.')
      return refuse(
        'the whole workspace cannot be copied: name the ignored folders and files, such as node_modules',
      );
    const first = path.split('/')[0]!;
    if (NEVER_COPIED.includes(first))
      return refuse(
        `${JSON.stringify(value)} is never copied into a worktree: \`${first}\` is ${first === '.git' ? "git's own folder" : "phasewise's own folder, which holds the worktrees"}`,
      );
    return path;
  });

const FAN_OUT_FORMS = 'expected `off` or a mapping such as { from: planning, max_parallel: 3 }';

// The mapping first: a mapping with a bad field is reported field by field, not as "expected `off`".
export const fanOutSchema = z
  .union(
    [
      z.strictObject({
        from: nameField('phase id').meta({
          description: `the upstream phase whose report lists the work items, or \`${FAN_OUT_FROM_TASK}\` for the task file's`,
        }),
        max_parallel: z
          .int()
          .min(1)
          .max(MAX_FAN_OUT_PARALLEL)
          .optional()
          .meta({
            description: `how many work items run at the same time (default ${DEFAULT_FAN_OUT_MAX_PARALLEL})`,
          }),
        required: z.boolean().optional().meta({
          description:
            'false: where fan-out cannot help — the workspace is not a git repository, or the items cannot run side by side — the phase runs as one agent and says why, instead of refusing (default true; the built-in workflow uses false)',
        }),
        item_cost_limit: positiveMoneyField(
          "spending limit of one work item, at most the phase's cost_limit (default: an equal share of what the phase has left)",
        ).optional(),
        copy_ignored: z
          .array(ignoredPathField, { error: 'expected a list of paths, such as [node_modules, .env]' })
          .optional()
          .meta({
            description:
              "paths relative to the workspace whose git-ignored files (installed dependencies, build outputs, .env) are copied into each item's worktree, so its gate's commands run there as in the workspace: copy-on-write where the file system can, never linked back to the workspace (default: none)",
          }),
      }),
      z.literal(FAN_OUT_OFF, { error: FAN_OUT_FORMS }),
    ],
    { error: FAN_OUT_FORMS },
  )
  .meta({
    description:
      "run the phase's agent once per work item, side by side, each in its own git worktree, then merge: " +
      '`off`, or `{ from, max_parallel, item_cost_limit, copy_ignored }`',
  });
