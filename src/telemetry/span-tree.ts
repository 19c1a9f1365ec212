/**
 * A run's events as a tree of spans: run → phase → (fan-out item →) attempt → model call, tool call, gate. Each
 * span starts and ends at its events' own times. Work replayed on a resume gets no model, tool or gate span
 * again (the earlier invocation exported it); the phases and attempts it sits in do, marked `phasewise.replayed`.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { RunEvent } from '../events/index.js';
import { callSpans } from './call-spans.js';
import { createSpanBook, type SpanTreeOptions } from './span-book.js';
import { structureSpans } from './structure-spans.js';

export type { SpanTreeOptions } from './span-book.js';

export interface SpanTree {
  onEvent(event: RunEvent): void;
  /** Ends every span still open (an interrupted or crashed run), at `at`, with an error status. */
  endOpen(at: Date, reason: string): void;
}

export function createSpanTree(options: SpanTreeOptions): SpanTree {
  const book = createSpanBook(options);
  const handlers = { ...structureSpans(book), ...callSpans(book) };
  return {
    onEvent: (e) => (handlers[e.type] as ((event: RunEvent) => void) | undefined)?.(e),
    endOpen: (at, reason) => {
      book.endOpen(at, reason);
      if (book.run.span !== undefined) {
        book.run.span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
        book.run.span.end(at);
        book.run.span = undefined;
      }
    },
  };
}
