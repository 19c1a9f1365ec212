/**
 * `gate-accuracy.json`, written by `phasewise eval` into its output folder and read by `policy simulate
 * --gate-from DIR`: how often the gates' verdicts disagreed with the hidden checks, overall, per role and per
 * check kind. The format is in docs/policy.md; extra fields are ignored. The writer builds values of these types;
 * the reader checks them with the schema here.
 */
import { z } from 'zod';
import { DataFileError } from '../errors/index.js';
import { issuesFromZod, parseJsonDocument } from './data-issues.js';

export const GATE_ACCURACY_FILE = 'gate-accuracy.json';
export const GATE_ACCURACY_VERSION = 1;

const count = z
  .number({ error: 'must be a whole number ≥ 0' })
  .refine((value) => Number.isSafeInteger(value) && value >= 0, { error: 'must be a whole number ≥ 0' });
const rate = z
  .number({ error: 'must be a rate between 0 and 1, or null when nothing was measured' })
  .min(0, { error: 'must be a rate between 0 and 1' })
  .max(1, { error: 'must be a rate between 0 and 1' })
  .nullable();

const figuresSchema = z.object({
  false_pass_rate: rate,
  false_fail_rate: rate,
  hidden_failed: count,
  false_passes: count,
  hidden_passed: count,
  false_fails: count,
});

const gateAccuracySchema = z.object({
  version: z.literal(GATE_ACCURACY_VERSION, { error: `must be ${GATE_ACCURACY_VERSION}` }),
  source: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' }),
  overall: figuresSchema,
  roles: z.record(z.string(), figuresSchema, { error: 'must be an object: role → figures' }),
  check_kinds: z.record(z.string(), figuresSchema, { error: 'must be an object: check kind → figures' }),
});

/**
 * One scope's figures, conditional on the hidden check's outcome for a phase's run: `false_pass_rate` =
 * `false_passes / hidden_failed` (the gate passed, the hidden check failed), null when `hidden_failed` is 0;
 * `false_fail_rate` = `false_fails / hidden_passed` (the gate failed, the hidden check passed), null when
 * `hidden_passed` is 0.
 */
export type GateAccuracyFigures = z.infer<typeof figuresSchema>;
export type GateAccuracy = z.infer<typeof gateAccuracySchema>;

const WHAT = 'the gate-accuracy file';
const HINT = `${GATE_ACCURACY_FILE} is written by \`phasewise eval\`; its format is in docs/policy.md`;

/** Reads a gate-accuracy file from its text; `file` names it in errors. Throws `DataFileError` (exit 2). */
export function parseGateAccuracy(text: string, file: string): GateAccuracy {
  const document = parseJsonDocument(text, file, WHAT, HINT);
  const parsed = gateAccuracySchema.safeParse(document);
  if (!parsed.success)
    throw new DataFileError(file, WHAT, issuesFromZod(parsed.error, document), { hint: HINT });
  return parsed.data;
}

/** A scope's figures with its rates derived from its counts, as the writer must compute them. */
export function gateAccuracyFigures(counts: {
  hiddenFailed: number;
  falsePasses: number;
  hiddenPassed: number;
  falseFails: number;
}): GateAccuracyFigures {
  return {
    false_pass_rate: counts.hiddenFailed === 0 ? null : counts.falsePasses / counts.hiddenFailed,
    false_fail_rate: counts.hiddenPassed === 0 ? null : counts.falseFails / counts.hiddenPassed,
    hidden_failed: counts.hiddenFailed,
    false_passes: counts.falsePasses,
    hidden_passed: counts.hiddenPassed,
    false_fails: counts.falseFails,
  };
}
