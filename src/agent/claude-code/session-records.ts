/** What a Claude Code session is asked, what it leaves in the journal, and how a resumed run reads it back. */
import type { Permission, SandboxSettings } from '../../config/types.js';
import type { TokenCounts } from '../../events/index.js';
import type { ModelUsage } from '../../provider/model.js';
import type { ClaudeCodeTarget } from '../../provider/resolver.js';
import type { AttemptContext } from '../agent-context.js';
import type { AgentResult } from '../run-agent.js';

export interface ClaudeCodeRequest {
  system: string;
  prompt: string;
  permissions: readonly Permission[];
  maxTurns: number;
  target: ClaudeCodeTarget;
  /** The session's transcript (every SDK message, redacted, one JSON line each); `-s<N>` is added per session. */
  transcriptPath: string;
  /** The environment the session starts from (the CLI's, without configured key variables). */
  env: Record<string, string | undefined>;
  /** The run's command sandbox and its governing files (`protectedFiles`), which no tool may write. */
  sandbox?: SandboxSettings | undefined;
}

/** What a finished session leaves in the journal; a resumed run returns it without starting Claude Code. */
export interface SessionEnd extends AgentResult {
  session: number;
  sessionId: string | null;
  /** The result message's subtype (`success`, `error_max_turns`). */
  subtype: string;
  /** Claude Code's own estimate of the session's cost, for comparison; the ledger uses phasewise's prices. */
  claudeCodeCostUsd: number;
  responses: number;
  /** The settlement's charges (`rest-<model>` steps), replayed after the responses; absent in older journals. */
  settlements?: string[];
  transcript: string;
}

/** One model response, charged once; or a part of the session's settlement (`responseId` `result`). */
export interface ResponseStep {
  usage: ModelUsage;
  modelId: string;
  responseId: string;
  costUsd: number;
  priceTableVersion: string;
  /** A settlement's charge: what its progress event calls it instead of a turn (`settlement of session 1`). */
  label?: string;
  /** The usage the response reported, when it was beyond belief and `usage` is that held to the limits. */
  reportedUsage?: ModelUsage;
}

/**
 * A charged response as the progress event every model call gets. A settlement's charge belongs to no one turn:
 * it carries the turn the session ended on and its `label`, which views show instead of the turn.
 */
export function emitResponse(
  context: AttemptContext,
  turn: number,
  step: ResponseStep,
  replayed: boolean,
): void {
  context.emit({
    type: 'model-call-end',
    phaseId: context.phaseId,
    attempt: context.attempt,
    turn,
    ...(step.label === undefined ? {} : { label: step.label }),
    model: `claude-code:${step.modelId}`,
    tokens: tokensOf(step.usage),
    costUsd: step.costUsd,
    phaseSpentUsd: context.ledger.spent(context.phaseId),
    runSpentUsd: context.ledger.spent(),
    replayed,
    durationMs: 0,
  });
}

export function agentResultOf(end: SessionEnd): AgentResult {
  return {
    text: end.text,
    turns: end.turns,
    stopReason: end.stopReason,
    stopDetail: end.stopDetail,
    tokens: end.tokens,
    costUsd: end.costUsd,
  };
}

export function tokensOf(usage: ModelUsage): TokenCounts {
  return {
    inputNoCache: usage.inputNoCache,
    cacheRead: usage.cacheRead,
    cacheWrite: usage.cacheWrite,
    output: usage.output,
    reasoning: usage.reasoning,
  };
}
