/**
 * `work-items`: the plan's work items, when it lists any, can be used as they are (`work-items.ts` says what
 * that means). A report without the block passes — the next phase then runs as one agent — so the check can
 * sit in every planning gate; a block that cannot be used fails with the reason, which the retry is told.
 */
import type { CheckOutcome } from './gate-input.js';
import { extractWorkItems, independentItems, itemOrder } from './work-items.js';

export function checkWorkItems(report: string): CheckOutcome {
  const reading = extractWorkItems(report);
  if (!reading.found || ('items' in reading && reading.items.length === 0)) {
    return {
      score: 1,
      message: 'no work items: the next phase runs as a single agent',
      evidence: { items: 0 },
    };
  }
  if ('error' in reading) {
    return { score: 0, message: `unusable work items: ${reading.error}`, evidence: { error: reading.error } };
  }
  const { items } = reading;
  const independent = independentItems(items).map((item) => item.id);
  return {
    score: 1,
    message: `${items.length} work item${items.length === 1 ? '' : 's'} (${independent.length} independent)`,
    evidence: { items: items.length, independent, order: itemOrder(items).map((item) => item.id) },
  };
}
