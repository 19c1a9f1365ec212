/**
 * The order work items can be built in: dependencies first, ties broken by the plan's own order, so the same
 * plan always schedules and merges the same way. Assumes every dependency names an item; `dependencyCycle` is
 * how `work-items.ts` refuses a plan whose dependencies go round in a circle.
 */
import type { WorkItem } from './work-item-schema.js';

type Ordered = Pick<WorkItem, 'id' | 'dependsOn'>;

/** Dependencies first; among items that are ready together, the one listed first. Throws on a cycle. */
export function itemOrder<T extends Ordered>(items: readonly T[]): T[] {
  const placed = new Set<string>();
  const order: T[] = [];
  while (order.length < items.length) {
    const next = items.find(
      (item) => !placed.has(item.id) && item.dependsOn.every((dependency) => placed.has(dependency)),
    );
    if (next === undefined) {
      throw new RangeError(`work items cannot be ordered: ${dependencyCycle(items)?.join(' → ') ?? '?'}`);
    }
    placed.add(next.id);
    order.push(next);
  }
  return order;
}

/**
 * The items in waves: the first holds those that depend on nothing, each later one those whose dependencies are
 * all in earlier waves. Items of one wave can run side by side; within a wave the plan's order is kept.
 */
export function itemLevels<T extends Ordered>(items: readonly T[]): T[][] {
  const level = new Map<string, number>();
  for (const item of itemOrder(items)) {
    const below = item.dependsOn.map((dependency) => level.get(dependency) ?? 0);
    level.set(item.id, below.length === 0 ? 0 : Math.max(...below) + 1);
  }
  const levels: T[][] = [];
  for (const item of items) {
    const index = level.get(item.id) ?? 0;
    levels[index] = [...(levels[index] ?? []), item];
  }
  return levels;
}

/** The items that depend on no other: they can all start at once. */
export function independentItems<T extends Ordered>(items: readonly T[]): T[] {
  return items.filter((item) => item.dependsOn.length === 0);
}

/**
 * The first dependency cycle met walking the items in the plan's order, as the ids along it with the first
 * repeated at the end (`['a', 'b', 'a']`; a self-dependency is `['a', 'a']`); undefined when there is none.
 * Dependencies that name no item are ignored here.
 */
export function dependencyCycle(items: readonly Ordered[]): string[] | undefined {
  const byId = new Map(items.map((item) => [item.id, item]));
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const onPath = path.indexOf(id);
    if (onPath !== -1) return [...path.slice(onPath), id];
    const item = byId.get(id);
    if (done.has(id) || item === undefined) return undefined;
    path.push(id);
    for (const dependency of item.dependsOn) {
      const cycle = visit(dependency);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    done.add(id);
    return undefined;
  };
  for (const item of items) {
    const cycle = visit(item.id);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
