/**
 * What the span builders share: the spans still open, keyed by where their events sit (phase, item, merge turn,
 * attempt, turn), never by arrival order, so phases running side by side nest correctly; how a span starts and
 * ends at its events' times; and the attributes every span under a phase carries.
 */
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { EventOf, RunEvent } from '../events/index.js';
import type { Redactor } from '../util/redact.js';
import { GEN_AI, PHASEWISE } from './span-attributes.js';

export interface SpanTreeOptions {
  tracer: Tracer;
  /** Sets the ids the next root span gets (the run's trace; the first run span's own id). */
  presetIds(ids: { traceId: string; spanId?: string }): void;
  includePrompts: boolean;
  redactor?: Redactor;
  /** Configured provider name → its kind (`anthropic`, `openai`…): GenAI names the provider by what it is. */
  providerKinds?: Record<string, string>;
}

export type Scoped = { phaseId: string; item?: string; mergeTurn?: true };

export type SpanHandlers = { [T in RunEvent['type']]?: (e: EventOf<T>) => void };

export type SpanBook = ReturnType<typeof createSpanBook>;

export function createSpanBook(options: SpanTreeOptions) {
  const { tracer } = options;
  const open = new Map<string, Span>();
  const phaseAgents = new Map<string, { agent: string; model: string; costLimitUsd: number }>();
  /** Each attempt's ended span and when its agent stopped: its gate's span starts there, under it. */
  const attemptEnds = new Map<string, { span: Span; at: Date }>();
  const run: { span?: Span } = {};

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
    return run.span === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, run.span);
  };
  const start = (key: string, name: string, at: string, attributes: Attributes, parent: Context) => {
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

  /** Ends every open span, innermost first (longest keys), so a parent never ends before its children. */
  const endOpen = function endOpen(at: Date, reason: string): void {
    for (const key of [...open.keys()].sort((a, b) => b.length - a.length)) {
      const span = open.get(key)!;
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      span.end(at);
    }
    open.clear();
  };

  return {
    options,
    tracer,
    open,
    phaseAgents,
    attemptEnds,
    run,
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
    endOpen,
  };
}
