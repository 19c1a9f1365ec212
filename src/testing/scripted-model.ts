/**
 * A scripted model (STYLE §10): answers from a script keyed by phase, attempt and turn — never by call order, so
 * a resumed run that replays recorded calls gets the same answers for the calls it does make. It records every
 * request and fails loudly when the script has no answer.
 */
import { appendFileSync } from 'node:fs';
import type {
  LanguageModel,
  ModelRequest,
  ModelResponse,
  ModelUsage,
  SentRequest,
} from '../provider/model.js';
import { abortableDelay } from '../util/abort.js';
import type { ModelScript, ScriptedTurn } from './model-script.js';

export interface ScriptedCall {
  modelId: string;
  phaseId: string;
  attempt: number;
  turn: number;
  request: SentRequest;
}

export interface ScriptedBackendOptions {
  script: ModelScript;
  /** Added to every answer's delay. */
  latencyMs?: number;
  /** Each completed call is appended here as one JSON line (`{pid, modelId, phaseId, attempt, turn}`). */
  callLog?: string;
}

export class ScriptedBackend {
  readonly calls: ScriptedCall[] = [];
  constructor(private readonly options: ScriptedBackendOptions) {}

  model(modelId: string): LanguageModel {
    return { provider: 'scripted', modelId, generate: (request) => this.answer(modelId, request) };
  }

  private async answer(modelId: string, request: ModelRequest): Promise<ModelResponse> {
    const { attempt, turn, lane } = request.metadata;
    // A lane of a fanned-out phase answers from its own entry: `implementation/item-auth`, `implementation/merge-1`.
    const phaseId = lane === undefined ? request.metadata.phaseId : `${request.metadata.phaseId}/${lane}`;
    const scripted = pickTurn(this.options.script, phaseId, attempt, turn);
    const delay = (this.options.latencyMs ?? 0) + (scripted.delayMs ?? 0);
    if (scripted.hang === true) await new Promise((_, reject) => onAbort(request.abortSignal, reject));
    if (delay > 0) await abortableDelay(delay, request.abortSignal);
    if (request.abortSignal.aborted) throw request.abortSignal.reason;
    // A copy: the loop goes on appending to its message list, and a record must show what was sent (the signal
    // and the retry listener are behaviour, not what was sent, and cannot be cloned; the cache lifetime is asked,
    // as a provider's adapter asks it when it sends).
    const { abortSignal: _signal, onRetry: _onRetry, cacheLifetime, ...sent } = request;
    const lifetime = cacheLifetime?.();
    const recorded: SentRequest = {
      ...structuredClone(sent),
      ...(lifetime === undefined ? {} : { cacheLifetime: lifetime }),
    };
    this.calls.push({ modelId, phaseId, attempt, turn, request: recorded });
    if (this.options.callLog !== undefined) {
      const line = JSON.stringify({ pid: process.pid, modelId, phaseId, attempt, turn });
      appendFileSync(this.options.callLog, `${line}\n`);
    }
    if (scripted.error !== undefined) throw new Error(`scripted failure: ${scripted.error}`);
    return toResponse(modelId, request, scripted);
  }
}

function onAbort(signal: AbortSignal, reject: (reason: unknown) => void): void {
  if (signal.aborted) reject(signal.reason);
  else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
}

export function pickTurn(script: ModelScript, phaseId: string, attempt: number, turn: number): ScriptedTurn {
  const attempts = script.phases[phaseId];
  if (attempts === undefined || attempts.length === 0) {
    throw new Error(`scripted model: the script has no answers for phase "${phaseId}"`);
  }
  const turns = (attempts[attempt - 1] ?? attempts[attempts.length - 1])!.turns;
  const scripted = turns[turn - 1];
  if (scripted === undefined) {
    throw new Error(
      `scripted model: phase "${phaseId}" attempt ${attempt} has ${turns.length} turn(s); turn ${turn} was asked for`,
    );
  }
  return scripted;
}

function toResponse(modelId: string, request: ModelRequest, scripted: ScriptedTurn): ModelResponse {
  const content: ModelResponse['content'] = [];
  if (scripted.text !== undefined) content.push({ type: 'text', text: scripted.text });
  for (const [index, call] of (scripted.toolCalls ?? []).entries()) {
    const toolCallId = call.id ?? `call_${request.metadata.phaseId}_${request.metadata.turn}_${index}`;
    content.push({ type: 'tool-call', toolCallId, toolName: call.name, input: call.input });
  }
  const hasTools = content.some((part) => part.type === 'tool-call');
  const usage = usageOf(request, scripted);
  // Like a real model, never more output than the request allowed; the answer is then cut short.
  if (usage.output > request.maxOutputTokens) {
    usage.output = request.maxOutputTokens;
    return { content, usage, finishReason: { unified: 'length', raw: 'max_tokens' }, modelId };
  }
  return {
    content,
    usage,
    finishReason: { unified: hasTools ? 'tool-calls' : 'stop', raw: hasTools ? 'tool_use' : 'end_turn' },
    modelId,
  };
}

/** Scripted usage, or a deterministic estimate from the request and answer sizes (4 characters a token). */
function usageOf(request: ModelRequest, scripted: ScriptedTurn): ModelUsage {
  const promptChars = request.system.length + JSON.stringify(request.messages).length;
  const answerChars = (scripted.text ?? '').length + JSON.stringify(scripted.toolCalls ?? []).length;
  return {
    inputNoCache: scripted.usage?.input ?? Math.ceil(promptChars / 4),
    cacheRead: scripted.usage?.cacheRead ?? 0,
    cacheWrite: scripted.usage?.cacheWrite ?? 0,
    output: scripted.usage?.output ?? Math.ceil(answerChars / 4),
    reasoning: 0,
  };
}
