/**
 * The `judge` gate check's model: the configured tier (default the top one) asked to score the report against
 * the rubric, at temperature 0, paid out of the phase's ledger like any call. What it cost is handed back so
 * the gate's journal step records it; the verdict names the model and the rubric version.
 */
import { randomUUID } from 'node:crypto';
import { affordableOutputTokens, costOfUsage, estimateTokens, worstCaseCost } from '../budget/cost.js';
import { GateCheckError } from '../gate/gate-check-error.js';
import type { JudgeRequest, JudgeService, JudgeVerdict } from '../gate/gate-input.js';
import { judgePrompt, parseJudgeAnswer } from '../gate/judge-prompt.js';
import { stepAddress } from '../journal/step-keys.js';
import { type LanguageModel, responseText } from '../provider/model.js';
import { ProviderCallError } from '../provider/provider-call-error.js';
import type { ResolvedModel } from '../provider/resolver.js';
import type { PhaseServices } from './phase-services.js';
import type { PhaseSpec } from './phase-spec.js';
import { failedJudgeSchema } from './step-schemas.js';

const JUDGE_MAX_OUTPUT_TOKENS = 2_048;
/** Below this a verdict for a whole rubric cannot be written: the budget is treated as exhausted. */
const JUDGE_MIN_OUTPUT_TOKENS = 256;

export interface JudgeMeter {
  service: JudgeService;
  /** What the judge calls of this gate evaluation cost so far. */
  spentUsd(): number;
}

export function judgeService(
  spec: PhaseSpec,
  services: PhaseServices,
  attempt: number,
  abortSignal: AbortSignal,
): JudgeMeter {
  const phaseId = spec.phase.id;
  const { ledger, redactor } = services;
  let spent = 0;
  let calls = 0;
  const service = async (request: JudgeRequest): Promise<JudgeVerdict> => {
    const ref = judgeModelRef(spec, request.model);
    const resolved = services.resolveModel(ref);
    const prompt = judgePrompt(request.rubric, request.report);
    const system = redactor?.redact(prompt.system) ?? prompt.system;
    const user = redactor?.redact(prompt.prompt) ?? prompt.prompt;
    const inputTokens = estimateTokens(system + user);
    const available = ledger.available(phaseId);
    // Like any call: the output cap shrinks to what the phase and the run can still afford.
    const maxOutputTokens = Math.min(
      JUDGE_MAX_OUTPUT_TOKENS,
      affordableOutputTokens(inputTokens, available.usd, resolved.price),
    );
    if (maxOutputTokens < JUDGE_MIN_OUTPUT_TOKENS) {
      throw ledger.exhausted(
        phaseId,
        available.scope,
        worstCaseCost(inputTokens, JUDGE_MIN_OUTPUT_TOKENS, resolved.price),
      );
    }
    const reservation = await ledger.reserve(
      phaseId,
      worstCaseCost(inputTokens, maxOutputTokens, resolved.price),
    );
    calls += 1;
    let cost = 0;
    try {
      const response = await modelToCall(resolved).generate({
        system,
        messages: [{ role: 'user', content: user }],
        tools: [],
        maxOutputTokens,
        temperature: 0,
        abortSignal,
        metadata: { runId: spec.runId, phaseId: `${phaseId}/judge`, attempt, turn: calls },
      });
      cost = costOfUsage(response.usage, resolved.price);
      return parseJudgeAnswer(responseText(response), { rubric: request.rubric, model: ref });
    } catch (error) {
      if (error instanceof ProviderCallError && error.usage !== undefined) {
        cost = costOfUsage(error.usage, resolved.price);
      }
      // The gate step will not be recorded: what this failed judge call cost is journaled on its own.
      await recordFailedJudge(spec, services, attempt, cost, error);
      if (abortSignal.aborted) throw abortSignal.reason;
      throw error instanceof GateCheckError
        ? error
        : new GateCheckError(
            { name: 'judge', kind: 'judge' },
            `the judge ${ref} failed: ${(error as Error).message}`,
          );
    } finally {
      await ledger.commit(reservation, cost);
      spent += cost;
    }
  };
  return { service, spentUsd: () => spent };
}

/** A judge is asked in one model call: a model that only a session reaches cannot be one. */
function modelToCall(resolved: ResolvedModel): LanguageModel {
  if (resolved.runtime === 'tool-loop') return resolved.model;
  throw new Error(`${resolved.ref} runs phases through Claude Code; it takes no single model calls`);
}

function judgeModelRef(spec: PhaseSpec, configured: string | undefined): string {
  const { tiers, tierModels } = spec.workflow;
  if (configured === undefined) return tierModels[tiers[tiers.length - 1]!]!;
  return tierModels[configured] ?? configured;
}

async function recordFailedJudge(
  spec: PhaseSpec,
  services: PhaseServices,
  attempt: number,
  costUsd: number,
  error: unknown,
) {
  if (costUsd === 0) return;
  await services.steps.step(
    {
      ...stepAddress({ phaseId: spec.phase.id, attempt, step: 'judge-failed', id: randomUUID() }),
      phaseId: spec.phase.id,
      schema: failedJudgeSchema,
      costOf: () => costUsd,
    },
    async () => ({ error: (error as Error).message, costUsd }),
  );
}
