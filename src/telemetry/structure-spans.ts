/**
 * The spans of a run's structure: the run (ids derived from the run id, a resume linked to the first run span),
 * its phases, fan-out items and attempts, with escalations, merges and budget warnings as span events.
 */
import { context, type Link, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { EventOf } from '../events/index.js';
import { GEN_AI, PHASEWISE, splitModel } from './span-attributes.js';
import type { SpanBook, SpanHandlers } from './span-book.js';
import { runSpanId, runTraceId } from './span-ids.js';

export function structureSpans(book: SpanBook): SpanHandlers {
  const {
    options,
    tracer,
    open,
    phaseAgents,
    attemptEnds,
    run,
    scopeKey,
    attemptKey,
    parentContext,
    start,
    finish,
    event,
    prompt,
    scopeAttributes,
    endOpen,
  } = book;

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
    run.span = tracer.startSpan(
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

  return {
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
      if (run.span === undefined) return;
      run.span.setAttributes({
        [PHASEWISE.status]: e.status,
        [PHASEWISE.costUsd]: e.costUsd,
        [PHASEWISE.exitCode]: e.exitCode,
      });
      if (e.status === 'failed')
        run.span.setStatus({ code: SpanStatusCode.ERROR, message: e.message ?? 'run failed' });
      endOpen(new Date(e.at), `the run ended ${e.status}`);
      run.span.end(new Date(e.at));
      run.span = undefined;
    },
  };
}
