/**
 * The fan-out part of a phase's estimate: over how many work items it fans out (known when they come from the
 * task, known only after the `from` phase runs otherwise), how many at a time, and one item's range — the
 * cheapest (one answer in one turn on the starting tier, its prompt the phase's with the item's block) and the
 * most (`item_cost_limit`, or the equal share of the phase limit). Items × the most an item may spend is the
 * phase's upper bound before its limit; the phase limit still caps what is spent, however many items there are.
 */
import type { FanOutSettings } from '../config/types.js';
import { extractWorkItems, itemTask, type WorkItem } from '../phase/work-items.js';

export interface FanOutEstimate {
  /** `task` or the upstream phase whose report lists the items. */
  from: string;
  /** How many items, when known before the run (from the task); null when they come from a phase's report. */
  items: number | null;
  /** Set when the task's items leave the phase to one agent (fewer than two, none, unusable): why. */
  oneAgent: string | null;
  maxParallel: number;
  itemLowUsd: number;
  /** `item_cost_limit`, or the phase limit shared equally among known items; null when neither is known. */
  itemHighUsd: number | null;
  /** Items × item high, before the phase limit caps it; null when the items are not known yet. */
  uncappedHighUsd: number | null;
}

/** What one prompt costs to answer once: the phase estimate's own pricing, given the task text the agent sees. */
export type PriceOnce = (task: string) => number;

/** Two plausible items, standing in for a plan not yet written: their block is what an item's prompt adds. */
const TYPICAL_ITEMS: WorkItem[] = ['first', 'second'].map((id) => ({
  id,
  title: 'x'.repeat(60),
  files: ['src/module/file.ts', 'test/module/file.test.ts'],
  dependsOn: [],
  acceptance: 'x'.repeat(240),
}));

export function estimateFanOut(
  settings: FanOutSettings,
  phaseLimitUsd: number,
  task: string,
  priceOnce: PriceOnce,
): FanOutEstimate {
  const base = { from: settings.from, maxParallel: settings.maxParallel };
  const itemPrice = (item: WorkItem, all: readonly WorkItem[]) =>
    priceOnce(`${task.trim()}\n\n${itemTask(item, all)}`);
  if (settings.from !== 'task') {
    return {
      ...base,
      items: null,
      oneAgent: null,
      itemLowUsd: itemPrice(TYPICAL_ITEMS[0]!, TYPICAL_ITEMS),
      itemHighUsd: settings.itemCostLimitUsd ?? null,
      uncappedHighUsd: null,
    };
  }
  const reading = extractWorkItems(task);
  const items = reading.found && 'items' in reading ? reading.items : [];
  const oneAgent = oneAgentReason(reading, items.length);
  if (oneAgent !== null) {
    return {
      ...base,
      items: items.length,
      oneAgent,
      itemLowUsd: 0,
      itemHighUsd: null,
      uncappedHighUsd: null,
    };
  }
  const itemHighUsd = settings.itemCostLimitUsd ?? phaseLimitUsd / items.length;
  return {
    ...base,
    items: items.length,
    oneAgent: null,
    itemLowUsd: Math.min(...items.map((item) => itemPrice(item, items))),
    itemHighUsd,
    // An equal share adds up to the limit itself (not a float's hair above it).
    uncappedHighUsd: settings.itemCostLimitUsd === undefined ? phaseLimitUsd : items.length * itemHighUsd,
  };
}

/** The run's own rule (`fanOutFor`): fewer than two usable items and one agent does the phase. */
function oneAgentReason(reading: ReturnType<typeof extractWorkItems>, count: number): string | null {
  if (!reading.found) return 'the task lists no work items';
  if ('error' in reading) return `the task's work items are unusable (${reading.error})`;
  if (count < 2) return `the task lists ${count === 1 ? 'one work item' : 'no work items'}`;
  return null;
}
