/**
 * The `judge` gate check's model: the configured tier (default the top one) asked to score the report against
 * the rubric, at temperature 0, paid out of the phase's ledger like any call. What it cost is handed back so
 * the gate's journal step records it; the verdict names the model and the rubric version.
 */
import { costOfUsage, estimateTokens, worstCaseCost } from '../budget/cost.js';
import { GateCheckError } from '../gate/gate-check-error.js';
import type { JudgeRequest, JudgeService, JudgeVerdict } from '../gate/gate-input.js';
import { judgePrompt, parseJudgeAnswer } from '../gate/judge-prompt.js';
import { responseText } from '../provider/model.js';
import type { PhaseContext } from './phase-context.js';

const JUDGE_MAX_OUTPUT_TOKENS = 2_048;

export interface JudgeMeter {
  service: JudgeService;
  /** What the judge calls of this gate evaluation cost so far. */
  spentUsd(): number;
}

export function judgeService(context: PhaseContext, attempt: number, abortSignal: AbortSignal): JudgeMeter {
  let spent = 0;
  let calls = 0;
  const service = async (request: JudgeRequest): Promise<JudgeVerdict> => {
    const ref = judgeModelRef(context, request.model);
    const resolved = context.resolveModel(ref);
    const prompt = judgePrompt(request.rubric, request.report);
    const system = context.redactor?.redact(prompt.system) ?? prompt.system;
    const user = context.redactor?.redact(prompt.prompt) ?? prompt.prompt;
    const worst = worstCaseCost(estimateTokens(system + user), JUDGE_MAX_OUTPUT_TOKENS, resolved.price);
    const reservation = context.ledger.reserve(context.phase.id, worst);
    calls += 1;
    let cost = 0;
    try {
      const response = await resolved.model.generate({
        system,
        messages: [{ role: 'user', content: user }],
        tools: [],
        maxOutputTokens: JUDGE_MAX_OUTPUT_TOKENS,
        temperature: 0,
        abortSignal,
        metadata: { runId: context.runId, phaseId: `${context.phase.id}/judge`, attempt, turn: calls },
      });
      cost = costOfUsage(response.usage, resolved.price);
      return parseJudgeAnswer(responseText(response), { rubric: request.rubric, model: ref });
    } catch (error) {
      if (abortSignal.aborted) throw abortSignal.reason;
      throw error instanceof GateCheckError
        ? error
        : new GateCheckError(
            { name: 'judge', kind: 'judge' },
            `the judge ${ref} failed: ${(error as Error).message}`,
          );
    } finally {
      context.ledger.commit(reservation, cost);
      spent += cost;
    }
  };
  return { service, spentUsd: () => spent };
}

function judgeModelRef(context: PhaseContext, configured: string | undefined): string {
  const { tiers, tierModels } = context.workflow;
  if (configured === undefined) return tierModels[tiers[tiers.length - 1]!]!;
  return tierModels[configured] ?? configured;
}
