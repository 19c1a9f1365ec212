/**
 * The `step(key, fn)` contract the engine is written against (DESIGN §2). A step whose result is recorded is
 * never executed again: on resume its recorded result is returned instead. The SQLite journal serves it now; a
 * durable engine on Postgres can serve the same contract later.
 */
import type { Clock } from '../util/clock.js';
import type { Journal } from './journal.js';
import type { StepKind } from './step-kinds.js';
import { checkRecorded, type StepSchema } from './step-schema.js';

export interface StepOptions<T> {
  /** Unique within the run and stable across resumes, e.g. `research/a1/t3/model`: built by `stepKey`. */
  key: string;
  phaseId: string | null;
  kind: StepKind;
  /** What a recorded result must be; a replay checks it before returning it. */
  schema: StepSchema<T>;
  /** Money the result cost; recorded with it so the run's ledger can be rebuilt from the journal. */
  costOf?: (result: T) => number;
  /**
   * The live run continues with the result as executed; only the journal gets the redacted one (a model's answer:
   * a fixture key it writes reaches the file intact). A resume reads back the redacted result; a step that acts on
   * it (a tool call not yet recorded when the run died) then acts on the redacted text.
   */
  continueWithExecuted?: boolean;
}

export interface StepOutcome<T> {
  value: T;
  /** True when the result came from the journal rather than from executing the step. */
  replayed: boolean;
}

export interface DurableSteps {
  step<T>(options: StepOptions<T>, execute: () => Promise<T>): Promise<StepOutcome<T>>;
  /** The recorded result of a step, if any, checked against `schema`, without executing anything. */
  recorded<T>(key: string, schema: StepSchema<T>): Promise<T | undefined>;
  /** Whether the step is recorded (its result unread). */
  has(key: string): Promise<boolean>;
}

/** Hides secrets in what is recorded; a JSON-like value in, the same shape out. */
export type RedactValue = <T>(value: T) => T;

/**
 * Steps over a journal. `redact` is applied to every result — tool outputs, model answers, snapshots (object keys
 * too: file names) — before it is recorded AND before it is returned, so the live run continues with exactly
 * what a resume would read back (unless `continueWithExecuted`). There is no way to record a step unredacted.
 */
export function journalSteps(
  journal: Journal,
  runId: string,
  clock: Clock,
  redact: RedactValue = (value) => value,
): DurableSteps {
  const read = async <T>(key: string, schema: StepSchema<T>): Promise<T | undefined> => {
    const existing = await journal.getStep(runId, key);
    if (existing === undefined) return undefined;
    return checkRecorded(schema, existing.result, { location: journal.location, runId, key });
  };
  return {
    async step<T>(options: StepOptions<T>, execute: () => Promise<T>): Promise<StepOutcome<T>> {
      const existing = await read(options.key, options.schema);
      if (existing !== undefined) return { value: existing, replayed: true };
      const startedAt = new Date(clock.now()).toISOString();
      // Committed before anything is spent or changed: if this process dies mid-step, the resume that executes
      // the step again records it as re-executed (the mark is cleared when the result is recorded). It is synced
      // to disk with that record, so only a machine crash mid-step can lose it.
      const { key, phaseId, kind } = options;
      await journal.startStep({ runId, key, phaseId, kind, startedAt, pid: process.pid });
      const executed = await execute();
      const value = redact(executed);
      const live = options.continueWithExecuted === true ? executed : value;
      await journal.recordStep({
        runId,
        key: options.key,
        phaseId: options.phaseId,
        kind: options.kind,
        result: value,
        costUsd: options.costOf?.(value) ?? 0,
        startedAt,
        endedAt: new Date(clock.now()).toISOString(),
      });
      return { value: live, replayed: false };
    },
    recorded: read,
    async has(key: string): Promise<boolean> {
      return (await journal.getStep(runId, key)) !== undefined;
    },
  };
}
