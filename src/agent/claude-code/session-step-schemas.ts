/**
 * The journaled forms of a Claude Code session's steps (its start, each response's charge, its end): a replay is
 * checked against them (journal/step-schema). Typed by the types they describe.
 */
import { z } from 'zod';
import type { TokenCounts } from '../../events/index.js';
import { modelUsageSchema } from '../../provider/model-schemas.js';
import type { AgentResult } from '../run-agent.js';
import type { ResponseStep, SessionEnd } from './session-records.js';

export const sessionStartSchema = z.looseObject({
  runtime: z.string(),
  session: z.number(),
  model: z.string(),
  /** The session before this one, cut off (a crash or a stop); null for the first. */
  rerunOf: z.number().nullable(),
});

const tokenCountsSchema: z.ZodType<TokenCounts> = z.looseObject({
  inputNoCache: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
  output: z.number(),
  reasoning: z.number(),
});

const STOP_REASONS = [
  'answered',
  'max-turns',
  'repeated-call',
  'no-progress',
] as const satisfies readonly AgentResult['stopReason'][];

export const sessionEndSchema: z.ZodType<SessionEnd> = z.looseObject({
  text: z.string(),
  turns: z.number(),
  stopReason: z.enum(STOP_REASONS),
  stopDetail: z.string().nullable(),
  tokens: tokenCountsSchema,
  costUsd: z.number(),
  session: z.number(),
  sessionId: z.string().nullable(),
  subtype: z.string(),
  claudeCodeCostUsd: z.number(),
  responses: z.number(),
  settlements: z.array(z.string()).optional(),
  transcript: z.string(),
});

export const responseStepSchema: z.ZodType<ResponseStep> = z.looseObject({
  usage: modelUsageSchema,
  modelId: z.string(),
  responseId: z.string(),
  costUsd: z.number(),
  priceTableVersion: z.string(),
  label: z.string().optional(),
  reportedUsage: modelUsageSchema.optional(),
});
