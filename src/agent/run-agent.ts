/**
 * The tool loop: model turn → tool calls → results, until the model answers without calling a tool (its answer
 * is the phase report), or a stop condition trips: the turn cap, a loop (`stop-conditions.ts`), the budget
 * (`model-turn.ts` refuses a call that cannot fit) or the phase's AbortSignal. Every model and tool call is a
 * journal step. The prompt cache is written for five minutes, or an hour once the turns are slow
 * (`cache-lifetime.ts`).
 */

import { wrapUpDue } from '../budget/ledger.js';
import { noTokens, type TokenCounts } from '../events/index.js';
import type { ModelMessage, TextPart, ToolCallPart } from '../provider/model.js';
import type { Tool } from '../tools/tool.js';
import { throwIfAborted } from '../util/abort.js';
import type { AgentContext } from './agent-context.js';
import { AttemptCacheLifetime } from './cache-lifetime.js';
import { modelTurn } from './model-turn.js';
import { LoopMonitor, type StopReason } from './stop-conditions.js';
import { dispatchToolCalls } from './tool-dispatch.js';

export interface AgentRequest {
  system: string;
  /** Sent as the first message, before `prompt`, when set (runtime.ts says why). */
  context?: string;
  prompt: string;
  tools: readonly Tool[];
  maxTurns: number;
  maxOutputTokens: number;
}

export interface AgentResult {
  /** The final answer's text (the phase report). */
  text: string;
  turns: number;
  stopReason: StopReason;
  /** Why the loop was stopped before the model answered, in words for the next attempt's feedback. */
  stopDetail: string | null;
  tokens: TokenCounts;
  costUsd: number;
}

export const WRAP_UP_NOTE =
  'Note from the orchestrator: this phase has used 80% of its cost limit. Stop exploring and write your report now.';

export async function runAgent(context: AgentContext, request: AgentRequest): Promise<AgentResult> {
  const messages: ModelMessage[] = [
    ...(request.context === undefined ? [] : [{ role: 'user' as const, content: request.context }]),
    { role: 'user', content: request.prompt },
  ];
  const tokens: TokenCounts = noTokens();
  const specs = request.tools.map(({ name, description, inputSchema }) => ({
    name,
    description,
    inputSchema,
  }));
  let costUsd = 0;
  let text = '';
  let wrapUpSent = false;
  const cacheLifetime = new AttemptCacheLifetime(context.clock);
  const monitor = new LoopMonitor(
    new Set(request.tools.filter((tool) => tool.permission !== 'read').map((tool) => tool.name)),
  );
  for (let turn = 1; turn <= request.maxTurns; turn += 1) {
    throwIfAborted(context.abortSignal);
    const result = await modelTurn(context, {
      turn,
      system: request.system,
      messages,
      tools: specs,
      maxOutputTokens: request.maxOutputTokens,
      cacheLifetime,
    });
    costUsd += result.costUsd;
    for (const key of Object.keys(tokens) as Array<keyof TokenCounts>) tokens[key] += result.usage[key];
    messages.push({ role: 'assistant', content: result.content });
    text = result.content
      .filter((part): part is TextPart => part.type === 'text')
      .map((part) => part.text)
      .join('');
    const calls = result.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
    if (calls.length === 0)
      return { text, turns: turn, stopReason: 'answered', stopDetail: null, tokens, costUsd };
    const results = await dispatchToolCalls(context, turn, calls, request.tools);
    messages.push({ role: 'tool', content: results });
    const stop = monitor.observe(calls, results);
    if (stop !== undefined)
      return { text, turns: turn, stopReason: stop.reason, stopDetail: stop.detail, tokens, costUsd };
    const phaseSpent = context.priorPhaseCostUsd + costUsd;
    if (!wrapUpSent && wrapUpDue(phaseSpent, context.ledger.phaseLimit(context.phaseId))) {
      wrapUpSent = true;
      messages.push({ role: 'user', content: WRAP_UP_NOTE });
      context.emit({
        type: 'budget-warning',
        phaseId: context.phaseId,
        spentUsd: phaseSpent,
        limitUsd: context.ledger.phaseLimit(context.phaseId),
        message: 'used 80% of the cost limit; the agent was told to wrap up',
      });
    }
  }
  const detail = `the cap of ${request.maxTurns} turns was reached without a final report`;
  return { text, turns: request.maxTurns, stopReason: 'max-turns', stopDetail: detail, tokens, costUsd };
}
