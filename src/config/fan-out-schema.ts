import { z } from 'zod';
import { DEFAULT_FAN_OUT_MAX_PARALLEL } from './defaults.js';
import { nameField, positiveMoneyField } from './schema-fields.js';
import { FAN_OUT_FROM_TASK, FAN_OUT_OFF } from './vocabulary.js';

/**
 * A phase's `fan_out:`, as written: `off`, or where its work items come from, how many run at once and what one
 * item may spend. Whether `from` is upstream, the agent can write and the item's limit fits the phase's are
 * questions about the whole workflow, answered by `resolve-fan-out.ts`.
 */

/** The most items of one phase that may run at the same time: each holds a worktree and a model call. */
export const MAX_FAN_OUT_PARALLEL = 16;

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
      }),
      z.literal(FAN_OUT_OFF, { error: FAN_OUT_FORMS }),
    ],
    { error: FAN_OUT_FORMS },
  )
  .meta({
    description:
      "run the phase's agent once per work item, side by side, each in its own git worktree, then merge: " +
      '`off`, or `{ from, max_parallel, item_cost_limit }`',
  });
