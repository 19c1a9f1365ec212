/**
 * What the report reads from a billed step's result: its usage (every kind of token, as far as recorded) and the
 * response id (a Claude Code session's settlement is `result`). Model steps record a whole response and failed
 * calls what usage the provider reported; this is the part of both the report needs, checked like a replay.
 */
import { z } from 'zod';
import type { TokenCounts } from '../events/index.js';
import type { Journal, StepRecord } from '../journal/journal.js';
import { recordedResult } from '../journal/step-schema.js';

const count = z.number().nonnegative();

const billedSchema = z
  .looseObject({
    usage: z
      .looseObject({
        inputNoCache: count.default(0),
        cacheRead: count.default(0),
        cacheWrite: count.default(0),
        output: count.default(0),
        reasoning: count.default(0),
      })
      .optional(),
    responseId: z.string().optional(),
  })
  .nullable();

export interface BilledStep {
  /** Every kind of token; a kind the record does not hold is 0. */
  usage?: TokenCounts;
  responseId?: string;
}

/** The usage and response id a billed step recorded; a record of another shape is a `JournalError`. */
export function billedStep(journal: Pick<Journal, 'location'>, step: StepRecord): BilledStep {
  const billed = recordedResult(journal, step, billedSchema);
  if (billed === null) return {};
  return {
    ...(billed.usage === undefined ? {} : { usage: billed.usage }),
    ...(billed.responseId === undefined ? {} : { responseId: billed.responseId }),
  };
}
