/**
 * The spans of an agent's work: each model call (`chat <model>`, GenAI attributes, tokens and cost), each tool
 * call (`execute_tool <tool>`) and each gate evaluation, under its attempt. Work replayed on a resume gets no
 * span again: the earlier invocation exported it.
 */
import type { EventOf } from '../events/index.js';
import { GEN_AI, PHASEWISE, splitModel, usageAttributes } from './span-attributes.js';
import type { SpanBook, SpanHandlers } from './span-book.js';

export function callSpans(book: SpanBook): SpanHandlers {
  const {
    options,
    tracer,
    open,
    attemptEnds,
    scopeKey,
    attemptKey,
    turnKey,
    parentContext,
    start,
    finish,
    event,
    prompt,
    providerAttributes,
    scopeAttributes,
  } = book;

  /** Tool calls of one name in one turn, in the order they started: they end in that order too. */
  const toolCounts = new Map<string, number>();
  function toolCount(turn: string, tool: string): number {
    const key = `${turn}/${tool}`;
    const next = (toolCounts.get(key) ?? 0) + 1;
    toolCounts.set(key, next);
    return next;
  }
  function oldestTool(turn: string, tool: string): string | undefined {
    const prefix = `${turn}/tool/${tool}/`;
    return [...open.keys()].find((key) => key.startsWith(prefix));
  }

  function modelCallEnd(e: EventOf<'model-call-end'>): void {
    const key = `${turnKey(e)}/model`;
    if (e.replayed) {
      open.delete(key);
      return;
    }
    const { provider, model } = splitModel(e.model);
    if (!open.has(key)) {
      // A Claude Code response or settlement: charged when it ends, no start event.
      start(
        key,
        `chat ${model}`,
        new Date(Date.parse(e.at) - e.durationMs).toISOString(),
        {
          [GEN_AI.operationName]: 'chat',
          ...providerAttributes(provider),
          ...scopeAttributes(e),
          [PHASEWISE.attempt]: e.attempt,
          [PHASEWISE.turn]: e.turn,
        },
        parentContext(attemptKey(e), scopeKey(e), e.phaseId),
      );
    }
    finish(key, e.at, {
      [GEN_AI.responseModel]: model,
      ...usageAttributes(e.tokens),
      [PHASEWISE.costUsd]: e.costUsd,
    });
  }

  return {
    'model-call-start': (e) => {
      if (e.replayed === true) return;
      const { provider, model } = splitModel(e.model);
      start(
        `${turnKey(e)}/model`,
        `chat ${model}`,
        e.at,
        {
          [GEN_AI.operationName]: 'chat',
          ...providerAttributes(provider),
          [GEN_AI.requestModel]: model,
          ...scopeAttributes(e),
          [PHASEWISE.attempt]: e.attempt,
          [PHASEWISE.turn]: e.turn,
          [PHASEWISE.reservedUsd]: e.reservedUsd,
        },
        parentContext(attemptKey(e), scopeKey(e), e.phaseId),
      );
    },
    'model-call-retry': (e) =>
      event(`${turnKey(e)}/model`, 'retry', e.at, {
        'phasewise.retry.try': e.try,
        'phasewise.retry.max_tries': e.maxTries,
        'phasewise.retry.wait_ms': e.waitMs,
        ...(e.status === null ? {} : { 'http.response.status_code': e.status }),
      }),
    'model-call-end': (e) => modelCallEnd(e),
    'tool-call': (e) => {
      if (e.replayed === true) return;
      start(
        `${turnKey(e)}/tool/${e.tool}/${toolCount(turnKey(e), e.tool)}`,
        `execute_tool ${e.tool}`,
        e.at,
        {
          [GEN_AI.operationName]: 'execute_tool',
          [GEN_AI.toolName]: e.tool,
          ...scopeAttributes(e),
          [PHASEWISE.attempt]: e.attempt,
          [PHASEWISE.turn]: e.turn,
          ...(options.includePrompts ? { [PHASEWISE.toolSummary]: prompt(e.summary) } : {}),
        },
        parentContext(attemptKey(e), scopeKey(e), e.phaseId),
      );
    },
    'tool-call-end': (e) => {
      const key = oldestTool(turnKey(e), e.tool);
      if (key === undefined) return;
      finish(key, e.at, { [PHASEWISE.toolOk]: e.ok }, e.ok ? undefined : `${e.tool} failed`);
    },
    'gate-end': (e) => {
      if (e.replayed === true) return;
      const started = attemptEnds.get(attemptKey(e))?.at ?? new Date(e.at);
      const failed = e.checks.filter((check) => !check.passed).map((check) => check.name);
      tracer
        .startSpan(
          `gate ${e.phaseId}`,
          {
            startTime: started,
            attributes: {
              ...scopeAttributes(e),
              [PHASEWISE.attempt]: e.attempt,
              [PHASEWISE.gateScore]: e.score,
              [PHASEWISE.gateThreshold]: e.threshold,
              [PHASEWISE.gatePassed]: e.passed,
              [PHASEWISE.gateVetoed]: e.vetoed,
              ...(failed.length === 0 ? {} : { [PHASEWISE.gateFailedChecks]: failed }),
            },
          },
          parentContext(attemptKey(e), scopeKey(e), e.phaseId),
        )
        .end(new Date(e.at));
    },
  };
}
