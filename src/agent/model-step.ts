/**
 * A model call as the journal keeps it, and the schema a replay checks it against (journal/step-schema). The
 * schema is typed by the interface, so the compiler keeps the two together.
 */
import { z } from 'zod';
import type { ModelResponse, ModelUsage } from '../provider/model.js';
import { finishReasonSchema, modelUsageSchema, responseContentSchema } from '../provider/model-schemas.js';

export interface ModelStepResult {
  content: ModelResponse['content'];
  usage: ModelUsage;
  finishReason: ModelResponse['finishReason'];
  modelId: string;
  costUsd: number;
  priceTableVersion: string;
  durationMs: number;
  /** Set when the provider reported no usage at all (some local servers): the cost is our estimate. */
  usageEstimated?: boolean;
}

export const modelStepSchema: z.ZodType<ModelStepResult> = z.looseObject({
  content: responseContentSchema,
  usage: modelUsageSchema,
  finishReason: finishReasonSchema,
  modelId: z.string(),
  costUsd: z.number(),
  priceTableVersion: z.string(),
  durationMs: z.number(),
  usageEstimated: z.boolean().optional(),
});

/** A model call that failed after it was billed: read by reports, never replayed into the loop. */
export const failedModelStepSchema = z.looseObject({
  error: z.string(),
  implausible: z.string().optional(),
  usage: modelUsageSchema.optional(),
  reportedUsage: modelUsageSchema.optional(),
  costUsd: z.number(),
  priceTableVersion: z.string(),
});
