/** Every run an eval makes, in the order it makes them: each task under each policy, each repeat. */
import { join } from 'node:path';
import type { EvalTask } from '../config/types.js';
import type { Policy } from './policies.js';
import type { RunSpec } from './run-one.js';
import { shortHash } from './worktrees.js';

export function evalPlan(
  dir: string,
  tasks: readonly EvalTask[],
  policies: readonly Policy[],
  repeat: number,
): RunSpec[] {
  return tasks.flatMap((task) =>
    policies.flatMap((policy) =>
      Array.from({ length: repeat }, (_, index) => {
        const key = `${task.id}.${policy.name}.${index + 1}`;
        // Short on purpose: the worktree's path is in every prompt, report and log line of the run.
        return { key, task, policy, repeat: index + 1, worktree: join(dir, 'w', shortHash(key)) };
      }),
    ),
  );
}
