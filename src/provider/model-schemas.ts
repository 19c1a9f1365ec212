/**
 * The journaled forms of `model.ts`'s types: a replayed model call is checked against them (journal/step-schema).
 * Typed by the interfaces they describe, so a field added there is a compile error here until it is described.
 */
import { z } from 'zod';
import type { FinishReason, ModelUsage, TextPart, ToolCallPart, UnifiedFinishReason } from './model.js';

const count = z.number().nonnegative();

export const modelUsageSchema: z.ZodType<ModelUsage> = z.looseObject({
  inputNoCache: count,
  cacheRead: count,
  cacheWrite: count,
  cacheWrite1h: count.optional(),
  output: count,
  reasoning: count,
  raw: z.unknown().optional(),
});

const UNIFIED_FINISH_REASONS = [
  'stop',
  'tool-calls',
  'length',
  'content-filter',
  'error',
  'other',
] as const satisfies readonly UnifiedFinishReason[];

export const finishReasonSchema: z.ZodType<FinishReason> = z
  .looseObject({
    unified: z.enum(UNIFIED_FINISH_REASONS),
    raw: z.string().optional(),
  })
  // JSON drops a property that is undefined: the raw reason the provider did not give comes back absent.
  .transform((reason) => ({ ...reason, raw: reason.raw }));

export const responseContentSchema: z.ZodType<Array<TextPart | ToolCallPart>> = z.array(
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('text'), text: z.string() }),
    z.looseObject({
      type: z.literal('tool-call'),
      toolCallId: z.string(),
      toolName: z.string(),
      input: z.unknown(),
    }),
  ]),
);
