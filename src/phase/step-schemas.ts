/**
 * The journaled forms of the phase's steps: what a replay is checked against (journal/step-schema). Each schema
 * is typed by the type it describes (`z.ZodType<T>`), so a field added to the type and not described here does
 * not compile; the step call passes the schema with its key.
 */
import { z } from 'zod';
import type { AttemptStopReason } from '../events/index.js';
import type { Finding } from '../gate/findings.js';
import { gateResultSchema } from '../gate/gate-result-schema.js';
import { changeWindowSchema } from '../tools/step-schemas.js';
import type { RecordedWindows } from './attempt-windows.js';
import type { ComplexityAssessment } from './complexity.js';
import type { EscalationDecision } from './escalation.js';
import type { PassedOutcome } from './outcome-types.js';
import type { ReviewDecision } from './review-decision.js';

/** The tier an attempt runs on, recorded as it starts. */
export const attemptStartSchema = z.looseObject({ tier: z.string(), model: z.string() });

const STOP_REASONS = [
  'answered',
  'max-turns',
  'repeated-call',
  'no-progress',
  'budget',
  'timeout',
  'interrupted',
  'error',
] as const satisfies readonly AttemptStopReason[];

const recordedWindowsSchema: z.ZodType<RecordedWindows> = z.looseObject({
  windows: z.array(changeWindowSchema),
  complete: z.boolean(),
});

/** An attempt's result: its report's path, how its agent stopped, when it could change the workspace. */
export const attemptOutputSchema = z.looseObject({
  path: z.string(),
  stopReason: z.enum(STOP_REASONS),
  detail: z.string().nullable(),
  turns: z.number(),
  /** Absent in journals written before change windows were recorded. */
  changeWindows: recordedWindowsSchema.optional(),
});
export type AttemptOutput = z.infer<typeof attemptOutputSchema>;

/** The gate's result, the judge's cost and the windows of the gate's own commands. */
export const recordedGateSchema = gateResultSchema.extend({
  judgeCostUsd: z.number(),
  /** When the gate's command and custom checks ran: their changes are the phase's (in its next attempt). */
  changeWindows: z.array(changeWindowSchema).optional(),
});
export type RecordedGate = z.infer<typeof recordedGateSchema>;

/** A judge call that failed after it was billed: read by reports, never replayed. */
export const failedJudgeSchema = z.looseObject({ error: z.string(), costUsd: z.number() });

export const escalationDecisionSchema: z.ZodType<EscalationDecision> = z.looseObject({
  action: z.enum(['retry', 'escalate', 'halt', 'fail']),
  ladderIndex: z.number(),
  tierIndex: z.number(),
  reason: z.string(),
});

export const reviewDecisionSchema: z.ZodType<ReviewDecision> = z.looseObject({
  action: z.enum(['approve', 'reject', 'abort']),
  feedback: z.string().nullable(),
  by: z.string(),
  at: z.string(),
});

export const complexityAssessmentSchema: z.ZodType<ComplexityAssessment> = z.looseObject({
  score: z.number(),
  tierIndex: z.number(),
  tier: z.string(),
  signals: z.array(
    z.looseObject({
      name: z.string(),
      value: z.union([z.number(), z.string()]),
      points: z.number(),
      why: z.string(),
    }),
  ),
  version: z.string(),
});

const findingSchema: z.ZodType<Finding> = z.looseObject({
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  file: z.string().nullable(),
  line: z.number().nullable(),
  issue: z.string(),
  fix: z.string(),
});

/** The result of a phase that passed: the only outcome the journal records (the others are re-derived). */
export const passedOutcomeSchema: z.ZodType<PassedOutcome> = z.looseObject({
  phaseId: z.string(),
  status: z.literal('passed'),
  attempts: z.number(),
  tier: z.string(),
  model: z.string(),
  costUsd: z.number(),
  gateScore: z.number().nullable(),
  reportPath: z.string(),
  handoff: z.string().nullable(),
  message: z.string().nullable(),
  verdict: z.enum(['go', 'no-go']).nullable().optional(),
  criticalFindings: z.array(findingSchema).optional(),
  reusedFrom: z.object({ runId: z.string(), costUsd: z.number(), durationMs: z.number() }).optional(),
});
