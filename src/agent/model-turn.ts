/**
 * One model call as a journal step, paid out of the ledger: reserve the worst case (shrinking the output cap
 * to what the phase and run can still afford), call, commit the reported cost. A recorded call is replayed from
 * the journal and never made again.
 */

import { randomUUID } from 'node:crypto';
import { affordableOutputTokens, costOfUsage, estimateTokens, worstCaseCost } from '../budget/cost.js';
import type { Reservation } from '../budget/ledger.js';
import { PRICE_TABLE_VERSION } from '../budget/price-table.js';
import { stepKey, type TurnScope } from '../journal/step-keys.js';
import type { ModelMessage, ModelResponse, ModelUsage, ToolSpec } from '../provider/model.js';
import { ProviderCallError } from '../provider/provider-call-error.js';
import {
  checkReportedUsage,
  ImplausibleUsageError,
  implausibleUsage,
  type SentSize,
} from '../provider/usage-check.js';
import type { AgentContext } from './agent-context.js';
import type { AttemptCacheLifetime } from './cache-lifetime.js';
import { failedModelStepSchema, type ModelStepResult, modelStepSchema } from './model-step.js';

/** Below this output cap a call cannot produce a useful answer; the budget is treated as exhausted. */
export const MIN_OUTPUT_TOKENS = 64;

export type { ModelStepResult } from './model-step.js';

export interface ModelTurnRequest {
  turn: number;
  system: string;
  messages: ModelMessage[];
  tools: ToolSpec[];
  maxOutputTokens: number;
  /** The attempt's cache lifetime, asked only as a call is really sent (cache-lifetime.ts). */
  cacheLifetime?: AttemptCacheLifetime;
}

export async function modelTurn(context: AgentContext, request: ModelTurnRequest): Promise<ModelStepResult> {
  const { phaseId, attempt, ledger, steps } = context;
  const scope: TurnScope = { phaseId, attempt, turn: request.turn };
  const key = stepKey({ ...scope, step: 'model' });
  const recorded = await steps.recorded(key, modelStepSchema);
  if (recorded !== undefined) {
    emitEnd(context, request.turn, recorded, true);
    return recorded;
  }
  const inputTokens = estimateTokens(
    request.system + JSON.stringify(request.messages) + JSON.stringify(request.tools),
  );
  const available = ledger.available(phaseId);
  const maxOutputTokens = Math.min(
    request.maxOutputTokens,
    affordableOutputTokens(inputTokens, available.usd, context.price),
  );
  if (maxOutputTokens < MIN_OUTPUT_TOKENS) {
    throw ledger.exhausted(
      phaseId,
      available.scope,
      worstCaseCost(inputTokens, MIN_OUTPUT_TOKENS, context.price),
    );
  }
  const reservation = await ledger.reserve(
    phaseId,
    worstCaseCost(inputTokens, maxOutputTokens, context.price),
  );
  context.emit({
    type: 'model-call-start',
    phaseId,
    attempt,
    turn: request.turn,
    model: `${context.model.provider}:${context.model.modelId}`,
    reservedUsd: reservation.usd,
  });
  const sent: SentSize = { estimatedInputTokens: inputTokens, maxOutputTokens };
  let result: ModelStepResult;
  try {
    ({ value: result } = await steps.step<ModelStepResult>(
      // Journaled redacted like every step: a model can echo a secret it rebuilt or was given some other way. The
      // live run continues with the model's own answer, so a fixture key it writes reaches the file intact; a
      // resume reads back the redacted answer (ARCHITECTURE.md, "Secrets are removed at the choke points").
      {
        key,
        phaseId,
        kind: 'model',
        schema: modelStepSchema,
        costOf: (value) => value.costUsd,
        continueWithExecuted: true,
      },
      () => call(context, request, sent),
    ));
  } catch (error) {
    await chargeFailedCall(context, { scope, reservation, sent }, error);
    // An SDK aborted by our signal throws its own error; the signal's reason says why (timeout, Ctrl-C).
    throw context.abortSignal.aborted ? context.abortSignal.reason : error;
  }
  await ledger.commit(reservation, result.costUsd);
  emitEnd(context, request.turn, result, false);
  return result;
}

/**
 * A call that failed after the provider had counted tokens (an error mid-stream) was still billed: its cost is
 * committed and journaled under a key of its own, so the ledger and a resumed run both know it was spent. The
 * usage it reported before failing is checked like a completed call's (usage-check.ts).
 */
async function chargeFailedCall(
  context: AgentContext,
  call: { scope: TurnScope; reservation: Reservation; sent: SentSize },
  error: unknown,
) {
  const { scope, reservation, sent } = call;
  const carried = error instanceof ProviderCallError ? error.usage : undefined;
  const implausible =
    error instanceof ImplausibleUsageError
      ? error
      : carried === undefined
        ? undefined
        : implausibleUsage(carried, sent, context.model);
  const usage = implausible === undefined ? carried : undefined;
  // Implausible usage is not believed: the call is charged its worst case (the reservation), never more.
  const reportedUsage = implausible?.reported;
  const costUsd =
    reportedUsage !== undefined
      ? reservation.usd
      : usage === undefined
        ? 0
        : costOfUsage(usage, context.price);
  await context.ledger.commit(reservation, costUsd);
  if (costUsd === 0) return;
  await context.steps.step(
    {
      key: stepKey({ ...scope, step: 'model-failed', id: randomUUID() }),
      phaseId: context.phaseId,
      kind: 'model-failed',
      schema: failedModelStepSchema,
      costOf: () => costUsd,
    },
    async () => ({
      error: (error as Error).message,
      ...(implausible === undefined || implausible === error ? {} : { implausible: implausible.message }),
      usage,
      ...(reportedUsage === undefined ? {} : { reportedUsage }),
      costUsd,
      priceTableVersion: PRICE_TABLE_VERSION,
    }),
  );
}

async function call(context: AgentContext, request: ModelTurnRequest, sent: SentSize) {
  const { maxOutputTokens } = sent;
  const { cacheLifetime } = request;
  const started = context.clock.now();
  const { redactor } = context;
  const response = await context.model.generate({
    system: redactor === undefined ? request.system : redactor.redact(request.system),
    messages: redactor === undefined ? request.messages : redactor.redactDeep(request.messages),
    tools: request.tools,
    maxOutputTokens,
    ...(cacheLifetime === undefined ? {} : { cacheLifetime: () => cacheLifetime.next() }),
    abortSignal: context.abortSignal,
    metadata: {
      runId: context.runId,
      phaseId: context.phaseId,
      attempt: context.attempt,
      turn: request.turn,
      ...(context.lane === undefined ? {} : { lane: context.lane }),
    },
    // Only a call really made can wait: a replayed turn returns from the journal before it gets here.
    onRetry: (retry) =>
      context.emit({
        type: 'model-call-retry',
        phaseId: context.phaseId,
        attempt: context.attempt,
        turn: request.turn,
        provider: context.model.provider,
        model: context.model.modelId,
        try: retry.try,
        maxTries: retry.maxTries,
        waitMs: retry.waitMs,
        reason: retry.reason,
        status: retry.status ?? null,
      }),
  });
  const reported = reportedUsage(response.usage);
  if (reported !== undefined) checkReportedUsage(reported, sent, context.model);
  const usage = reported ?? estimatedUsage(request, response);
  return {
    content: response.content,
    usage,
    ...(reported === undefined ? { usageEstimated: true } : {}),
    finishReason: response.finishReason,
    modelId: response.modelId,
    costUsd: costOfUsage(usage, context.price),
    priceTableVersion: PRICE_TABLE_VERSION,
    durationMs: context.clock.now() - started,
  };
}

function emitEnd(context: AgentContext, turn: number, result: ModelStepResult, replayed: boolean): void {
  const { usage } = result;
  context.emit({
    type: 'model-call-end',
    phaseId: context.phaseId,
    attempt: context.attempt,
    turn,
    model: `${context.model.provider}:${result.modelId}`,
    tokens: {
      inputNoCache: usage.inputNoCache,
      cacheRead: usage.cacheRead,
      cacheWrite: usage.cacheWrite,
      output: usage.output,
      reasoning: usage.reasoning,
    },
    costUsd: result.costUsd,
    phaseSpentUsd: context.ledger.spent(context.phaseId),
    runSpentUsd: context.ledger.spent(),
    replayed,
    durationMs: result.durationMs,
  });
}

function reportedUsage(usage: ModelUsage): ModelUsage | undefined {
  return usage.inputNoCache + usage.cacheRead + usage.cacheWrite + usage.output > 0 ? usage : undefined;
}

/**
 * A call answered with no usage (a server that ignores `stream_options.include_usage`) was still paid for:
 * charge an estimate rather than nothing, so the budget keeps holding.
 */
function estimatedUsage(request: ModelTurnRequest, response: ModelResponse): ModelUsage {
  return {
    inputNoCache: estimateTokens(
      request.system + JSON.stringify(request.messages) + JSON.stringify(request.tools),
    ),
    cacheRead: 0,
    cacheWrite: 0,
    output: estimateTokens(JSON.stringify(response.content)),
    reasoning: 0,
    raw: response.usage.raw,
  };
}
