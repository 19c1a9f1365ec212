/** The journaled forms of a fan-out's own steps: its start, a lane's commit, a merge. */
import { z } from 'zod';
import type { MergeResult, WorkItem } from './fan-out-types.js';

export interface FanOutStart {
  baseCommit: string;
  maxParallel: number;
  items: Array<WorkItem & { costLimitUsd: number }>;
}

const workItemSchema: z.ZodType<WorkItem & { costLimitUsd: number }> = z.looseObject({
  id: z.string(),
  title: z.string(),
  files: z.array(z.string()),
  dependsOn: z.array(z.string()),
  acceptance: z.string(),
  costLimitUsd: z.number().nonnegative(),
});

export const fanOutStartSchema: z.ZodType<FanOutStart> = z.looseObject({
  baseCommit: z.string(),
  maxParallel: z.number().int().positive(),
  items: z.array(workItemSchema),
});

export const laneCommitSchema = z.looseObject({ commit: z.string() });

export const mergeResultSchema: z.ZodType<MergeResult> = z.union([
  z.looseObject({ merged: z.literal(true), commit: z.string() }),
  z.looseObject({ merged: z.literal(false), conflicts: z.array(z.string()) }),
]);
