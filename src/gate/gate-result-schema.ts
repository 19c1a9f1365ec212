/** The journaled form of a gate's result: a replayed gate step is checked against it (journal/step-schema). */
import { z } from 'zod';
import type { CheckResult, GateResult } from './gate.js';

export const checkResultSchema: z.ZodType<CheckResult> = z.looseObject({
  name: z.string(),
  kind: z.string(),
  score: z.number(),
  weight: z.number(),
  required: z.boolean(),
  passed: z.boolean(),
  message: z.string(),
  evidence: z.unknown().optional(),
});

export const gateResultSchema = z.looseObject({
  score: z.number(),
  threshold: z.number(),
  passed: z.boolean(),
  vetoed: z.boolean(),
  checks: z.array(checkResultSchema),
}) satisfies z.ZodType<GateResult>;
