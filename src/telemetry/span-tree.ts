/**
 * A run's events as a tree of spans: run → phase → (fan-out item →) attempt → model call, tool call, gate. Each
 * span starts and ends at its events' own times. Spans are keyed by where their events sit (phase, item, merge
 * turn, attempt, turn), never by arrival order, so phases running side by side nest correctly. Work replayed on
 * a resume gets no model, tool or gate span again (the earlier invocation exported it); the phases and attempts
 * it sits in do, marked `phasewise.replayed`.
 */
import {
  type Attributes,
  context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { EventOf, RunEvent } from '../events/index.js';
import type { Redactor } from '../util/redact.js';
import { GEN_AI, PHASEWISE, splitModel, usageAttributes } from './span-attributes.js';
import { runSpanId, runTraceId } from './span-ids.js';

export interface SpanTreeOptions {
  tracer: Tracer;
  /** Sets the ids the next root span gets (the run's trace; the first run span's own id). */
  presetIds(ids: { traceId: string; spanId?: string }): void;
  includePrompts: boolean;
  redactor?: Redactor;
  /** Configured provider name → its kind (`anthropic`, `openai`…): GenAI names the provider by what it is. */
  providerKinds?: Record<string, string>;
}

export interface SpanTree {
  onEvent(event: RunEvent): void;
  /** Ends every span still open (an interrupted or crashed run), at `at`, with an error status. */
  endOpen(at: Date, reason: string): void;
}

type Scoped = { phaseId: string; item?: string; mergeTurn?: true };

export function createSpanTree(options: SpanTreeOptions): SpanTree {
  const { tracer } = options;
  const open = new Map<string, Span>();
  const phaseAgents = new Map<string, { agent: string; model: string; costLimitUsd: number }>();
  /** Each attempt's ended span and when its agent stopped: its gate's span starts there, under it. */
  const attemptEnds = new Map<string, { span: Span; at: Date }>();
  let runSpan: Span | undefined;

  const scopeKey = (event: Scoped) =>
    `${event.phaseId}${event.item === undefined ? '' : `/${event.item}`}${event.mergeTurn ? '/merge' : ''}`;
  const attemptKey = (event: Scoped & { attempt: number }) => `${scopeKey(event)}/a${event.attempt}`;
  const turnKey = (event: Scoped & { attempt: number; turn: number }) =>
    `${attemptKey(event)}/t${event.turn}`;

  const parentContext = (...keys: string[]) => {
    for (const key of keys) {
      const span = open.get(key) ?? attemptEnds.get(key)?.span;
      if (span !== undefined) return trace.setSpan(ROOT_CONTEXT, span);
    }
    return runSpan === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, runSpan);
  };
  const start = (
    key: string,
    name: string,
    at: string,
    attributes: Attributes,
    parent: ReturnType<typeof parentContext>,
  ) => {
    const span = tracer.startSpan(name, { startTime: new Date(at), attributes }, parent);
    open.set(key, span);
    return span;
  };
  const finish = (key: string, at: string, attributes: Attributes = {}, error?: string) => {
    const span = open.get(key);
    if (span === undefined) return;
    open.delete(key);
    span.setAttributes(attributes);
    if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end(new Date(at));
  };
  const event = (key: string, name: string, at: string, attributes: Attributes) =>
    open.get(key)?.addEvent(name, attributes, new Date(at));
  const prompt = (text: string) => (options.redactor === undefined ? text : options.redactor.redact(text));
  const providerAttributes = (provider: string | undefined): Attributes => {
    if (provider === undefined) return {};
    const kind = options.providerKinds?.[provider] ?? provider;
    return { [GEN_AI.providerName]: kind, [GEN_AI.system]: kind, [PHASEWISE.provider]: provider };
  };
  const scopeAttributes = (scoped: Scoped): Attributes => ({
    [PHASEWISE.phaseId]: scoped.phaseId,
    ...(scoped.item === undefined ? {} : { [PHASEWISE.item]: scoped.item }),
    ...(scoped.mergeTurn ? { [PHASEWISE.mergeTurn]: true } : {}),
  });

  const startRun = (e: EventOf<'run-start'>) => {
    for (const phase of e.phases) phaseAgents.set(phase.id, phase);
    const links: Link[] = e.resumed
      ? [
          {
            context: {
              traceId: runTraceId(e.runId),
              spanId: runSpanId(e.runId),
              traceFlags: 1,
              isRemote: true,
            },
          },
        ]
      : [];
    options.presetIds({
      traceId: runTraceId(e.runId),
      ...(e.resumed ? {} : { spanId: runSpanId(e.runId) }),
    });
    runSpan = tracer.startSpan(
      e.resumed ? 'phasewise resume' : 'phasewise run',
      {
        root: true,
        kind: SpanKind.INTERNAL,
        startTime: new Date(e.at),
        links,
        attributes: {
          [PHASEWISE.runId]: e.runId,
          [PHASEWISE.resumed]: e.resumed,
          [PHASEWISE.budgetUsd]: e.budgetUsd,
          ...(options.includePrompts ? { [PHASEWISE.task]: prompt(e.task) } : {}),
        },
      },
      context.active(),
    );
  };

  const handlers: { [T in RunEvent['type']]?: (e: EventOf<T>) => void } = {
    'run-start': startRun,
    'phase-start': (e) => {
      const phase = phaseAgents.get(e.phaseId);
      start(
        e.phaseId,
        `phase ${e.phaseId}`,
        e.at,
        {
          [PHASEWISE.phaseId]: e.phaseId,
          ...(phase === undefined
            ? {}
            : {
                [PHASEWISE.agent]: phase.agent,
                [GEN_AI.requestModel]: splitModel(phase.model).model,
                [PHASEWISE.costLimitUsd]: phase.costLimitUsd,
              }),
          ...(e.replayed ? { [PHASEWISE.replayed]: true } : {}),
        },
        parentContext(),
      );
    },
    'phase-end': (e) =>
      finish(
        e.phaseId,
        e.at,
        {
          [PHASEWISE.status]: e.status,
          [PHASEWISE.attempts]: e.attempts,
          [PHASEWISE.tier]: e.tier,
          [GEN_AI.responseModel]: splitModel(e.model).model,
          [PHASEWISE.costUsd]: e.costUsd,
          [PHASEWISE.gateThreshold]: e.threshold,
          ...(e.gateScore === null ? {} : { [PHASEWISE.gateScore]: e.gateScore }),
        },
        e.status === 'failed' ? (e.message ?? 'phase failed') : undefined,
      ),
    'fan-out-start': (e) =>
      event(e.phaseId, 'fan-out', e.at, {
        'phasewise.fan_out.items': e.items.length,
        'phasewise.fan_out.max_parallel': e.maxParallel,
      }),
    'item-start': (e) =>
      start(
        scopeKey(e),
        `item ${e.item}`,
        e.at,
        { ...scopeAttributes(e), [PHASEWISE.resumed]: e.resumed },
        parentContext(e.phaseId),
      ),
    'item-end': (e) =>
      finish(
        scopeKey(e),
        e.at,
        {
          [PHASEWISE.status]: e.status,
          [PHASEWISE.attempts]: e.attempts,
          [PHASEWISE.tier]: e.tier,
          [PHASEWISE.costUsd]: e.costUsd,
          [PHASEWISE.gateThreshold]: e.threshold,
          ...(e.gateScore === null ? {} : { [PHASEWISE.gateScore]: e.gateScore }),
        },
        e.status === 'failed' ? (e.message ?? 'item failed') : undefined,
      ),
    'merge-end': (e) =>
      event(e.phaseId, 'merge', e.at, {
        [PHASEWISE.item]: e.item,
        'phasewise.merge.outcome': e.outcome,
        [PHASEWISE.costUsd]: e.costUsd,
      }),
    'fan-out-end': (e) =>
      event(e.phaseId, 'fan-out-end', e.at, { [PHASEWISE.status]: e.status, [PHASEWISE.costUsd]: e.costUsd }),
    'attempt-start': (e) =>
      start(
        attemptKey(e),
        `attempt ${e.attempt}`,
        e.at,
        {
          ...scopeAttributes(e),
          [PHASEWISE.attempt]: e.attempt,
          [PHASEWISE.tier]: e.tier,
          [GEN_AI.requestModel]: splitModel(e.model).model,
          ...(e.replayed ? { [PHASEWISE.replayed]: true } : {}),
        },
        parentContext(scopeKey(e), e.phaseId),
      ),
    'attempt-end': (e) => {
      const span = open.get(attemptKey(e));
      if (span !== undefined) attemptEnds.set(attemptKey(e), { span, at: new Date(e.at) });
      finish(
        attemptKey(e),
        e.at,
        { [PHASEWISE.turns]: e.turns, [PHASEWISE.stopReason]: e.stopReason },
        e.stopReason === 'error' ? 'the attempt ended with an error' : undefined,
      );
    },
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
    'escalation-end': (e) =>
      event(scopeKey(e), 'escalation', e.at, {
        [PHASEWISE.attempt]: e.attempt,
        'phasewise.escalation.action': e.action,
        'phasewise.escalation.from_tier': e.fromTier,
        'phasewise.escalation.to_tier': e.toTier,
      }),
    'budget-warning': (e) =>
      event(e.phaseId, 'budget-warning', e.at, {
        'phasewise.spent_usd': e.spentUsd,
        [PHASEWISE.costLimitUsd]: e.limitUsd,
      }),
    'run-end': (e) => {
      if (runSpan === undefined) return;
      runSpan.setAttributes({
        [PHASEWISE.status]: e.status,
        [PHASEWISE.costUsd]: e.costUsd,
        [PHASEWISE.exitCode]: e.exitCode,
      });
      if (e.status === 'failed')
        runSpan.setStatus({ code: SpanStatusCode.ERROR, message: e.message ?? 'run failed' });
      endOpen(new Date(e.at), `the run ended ${e.status}`);
      runSpan.end(new Date(e.at));
      runSpan = undefined;
    },
  };

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

  function endOpen(at: Date, reason: string): void {
    // Innermost first (longest keys), so a parent never ends before its children.
    for (const key of [...open.keys()].sort((a, b) => b.length - a.length)) {
      const span = open.get(key)!;
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      span.end(at);
    }
    open.clear();
  }

  return {
    onEvent: (e) => (handlers[e.type] as ((event: RunEvent) => void) | undefined)?.(e),
    endOpen: (at, reason) => {
      endOpen(at, reason);
      if (runSpan !== undefined) {
        runSpan.setStatus({ code: SpanStatusCode.ERROR, message: reason });
        runSpan.end(at);
        runSpan = undefined;
      }
    },
  };
}
