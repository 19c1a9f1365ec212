/**
 * Runs the tool calls of one model turn, each as a journal step: a call that changes the workspace is recorded
 * before the loop moves on, and a resumed run gets the recorded result instead of running the tool again.
 */

import { stepAddress } from '../journal/step-keys.js';
import type { ToolCallPart, ToolResultPart } from '../provider/model.js';
import { restoredEntries, restoredWarning } from '../tools/governing-fingerprint.js';
import { toolResultSchema } from '../tools/step-schemas.js';
import type { Tool, ToolResult } from '../tools/tool.js';
import { throwIfAborted } from '../util/abort.js';
import type { AgentContext } from './agent-context.js';

export async function dispatchToolCalls(
  context: AgentContext,
  turn: number,
  calls: ToolCallPart[],
  tools: readonly Tool[],
): Promise<ToolResultPart[]> {
  const results: ToolResultPart[] = [];
  await context.toolsWaitFor;
  for (const [index, call] of calls.entries()) {
    throwIfAborted(context.abortSignal);
    // The position in the turn keeps keys unique even when a server repeats or omits tool-call ids.
    const { phaseId, attempt } = context;
    const address = stepAddress({ phaseId, attempt, turn, step: 'tool', index, toolCallId: call.toolCallId });
    const base = { phaseId: context.phaseId, attempt: context.attempt, turn, tool: call.toolName };
    const replaying = await context.steps.has(address.key);
    context.emit({
      type: 'tool-call',
      ...base,
      summary: summarizeToolInput(call.input),
      ...(replaying ? { replayed: true } : {}),
    });
    const { value, replayed } = await context.steps.step(
      { ...address, phaseId, schema: toolResultSchema },
      () => execute(context, call, tools),
    );
    context.emit({ type: 'tool-call-end', ...base, ok: !value.isError, replayed });
    if (value.restored !== undefined && value.restored.length > 0) {
      context.emit({
        type: 'workspace-warning',
        phaseId: context.phaseId,
        attempt: context.attempt,
        source: call.toolName,
        paths: restoredEntries(value.restored),
        message: restoredWarning(call.toolName, value.restored),
        ...(replayed ? { replayed: true } : {}),
      });
    }
    results.push({ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, ...value });
  }
  return results;
}

async function execute(
  context: AgentContext,
  call: ToolCallPart,
  tools: readonly Tool[],
): Promise<ToolResult> {
  const tool = tools.find((candidate) => candidate.name === call.toolName);
  if (tool === undefined) {
    const names = tools.map((candidate) => candidate.name).join(', ') || '(none)';
    return { output: `unknown tool "${call.toolName}"; the tools you have are: ${names}`, isError: true };
  }
  try {
    return await tool.execute(call.input, {
      workspace: context.workspace,
      abortSignal: context.abortSignal,
      protectedFiles: context.protectedFiles,
    });
  } catch (error) {
    if (context.abortSignal.aborted) throw context.abortSignal.reason;
    return { output: `tool "${call.toolName}" failed: ${(error as Error).message}`, isError: true };
  }
}

/** A tool call's input in one short line, for progress events. */
export function summarizeToolInput(input: unknown): string {
  const text = JSON.stringify(input) ?? '';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
