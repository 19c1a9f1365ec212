/**
 * What a replay reads is checked before the run acts on it. Each step is journaled with the schema of its result,
 * defined where the result's type lives (`phase/step-schemas.ts`, `agent/step-schemas.ts`, ...) and typed
 * `StepSchema<T>`, so the compiler holds schema and type together; the journal layer only applies it. A record of
 * another shape (a journal edited by hand, written by a build with another shape) is a `JournalError` naming the
 * run, the key and the field, never a value of the wrong type deep inside the engine.
 */
import type { z } from 'zod';
import { JournalError } from '../errors/index.js';

/** The schema of one step's result: what parses is a `T`. */
export type StepSchema<T> = z.ZodType<T>;

export interface RecordedStepOf {
  /** The journal's location, for the error. */
  location: string;
  runId: string;
  key: string;
}

/** The recorded result as a `T`, or a `JournalError` naming the first field that is not what `T` holds. */
export function checkRecorded<T>(schema: StepSchema<T>, result: unknown, where: RecordedStepOf): T {
  const parsed = schema.safeParse(result);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length === 0 ? 'the result' : `field ${issue.path.map(String).join('.')}`;
  throw new JournalError(
    where.location,
    `run ${where.runId}, step ${where.key}: ${field} does not match what this build records: ${issue.message}`,
    {
      runId: where.runId,
      hint: 'the journal was changed by hand or by another phasewise; resume it with the build that wrote it, or start a new run',
    },
  );
}

/** A listed step's result, checked the same way a replay checks it: for the report and run readers. */
export function recordedResult<T>(
  journal: { readonly location: string },
  step: { runId: string; key: string; result: unknown },
  schema: StepSchema<T>,
): T {
  return checkRecorded(schema, step.result, { location: journal.location, runId: step.runId, key: step.key });
}
