/**
 * The attributes of phasewise's spans: the OpenTelemetry GenAI semantic conventions where they have a name
 * (`gen_ai.*`), `phasewise.*` for the rest. Only counts, names, ids, statuses and money: no prompt, answer, file
 * content or secret (the task and tool summaries only with `include_prompts`, redacted).
 */
import type { TokenCounts } from '../events/index.js';

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  /** The name older backends read; set beside `gen_ai.provider.name`. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheWriteTokens: 'gen_ai.usage.cache_creation.input_tokens',
  toolName: 'gen_ai.tool.name',
} as const;

export const PHASEWISE = {
  runId: 'phasewise.run.id',
  resumed: 'phasewise.run.resumed',
  budgetUsd: 'phasewise.budget.usd',
  status: 'phasewise.status',
  exitCode: 'phasewise.exit_code',
  costUsd: 'phasewise.cost.usd',
  costLimitUsd: 'phasewise.cost.limit_usd',
  reservedUsd: 'phasewise.cost.reserved_usd',
  phaseId: 'phasewise.phase.id',
  /** The provider's name in the configuration (`gen_ai.provider.name` is its kind). */
  provider: 'phasewise.provider',
  agent: 'phasewise.phase.agent',
  item: 'phasewise.item.id',
  mergeTurn: 'phasewise.merge_turn',
  attempt: 'phasewise.attempt',
  attempts: 'phasewise.attempts',
  tier: 'phasewise.tier',
  turn: 'phasewise.turn',
  turns: 'phasewise.turns',
  stopReason: 'phasewise.stop_reason',
  reasoningTokens: 'phasewise.usage.reasoning_tokens',
  replayed: 'phasewise.replayed',
  toolOk: 'phasewise.tool.ok',
  gateScore: 'phasewise.gate.score',
  gateThreshold: 'phasewise.gate.threshold',
  gatePassed: 'phasewise.gate.passed',
  gateVetoed: 'phasewise.gate.vetoed',
  gateFailedChecks: 'phasewise.gate.failed_checks',
  task: 'phasewise.task',
  toolSummary: 'phasewise.tool.summary',
} as const;

/** `anthropic:claude-sonnet-4-5` → its provider and model; a bare name has no provider. */
export function splitModel(model: string): { provider: string | undefined; model: string } {
  const at = model.indexOf(':');
  return at <= 0
    ? { provider: undefined, model }
    : { provider: model.slice(0, at), model: model.slice(at + 1) };
}

/** The usage attributes of a model call. GenAI's input tokens count the cached ones too. */
export function usageAttributes(tokens: TokenCounts): Record<string, number> {
  return {
    [GEN_AI.inputTokens]: tokens.inputNoCache + tokens.cacheRead + tokens.cacheWrite,
    [GEN_AI.outputTokens]: tokens.output,
    [GEN_AI.cacheReadTokens]: tokens.cacheRead,
    [GEN_AI.cacheWriteTokens]: tokens.cacheWrite,
    [PHASEWISE.reasoningTokens]: tokens.reasoning,
  };
}
