/**
 * Orders phases so each comes after everything it depends on; among phases that are ready, the one declared
 * first goes first, so the order is stable and reads like the file. Phases caught in a cycle come last, and
 * each cycle is reported once, named from its earliest-declared phase: `research → planning → research`.
 */
export interface OrderablePhase {
  id: string;
  dependsOn: string[];
}

export function orderPhases<T extends OrderablePhase>(
  phases: readonly T[],
  onCycle: (cycle: string[]) => void,
): T[] {
  const placed = new Set<string>();
  const ordered: T[] = [];
  for (let ready = nextReady(phases, placed); ready !== undefined; ready = nextReady(phases, placed)) {
    placed.add(ready.id);
    ordered.push(ready);
  }
  const stuck = phases.filter((phase) => !placed.has(phase.id));
  for (const cycle of findCycles(stuck)) onCycle(cycle);
  return [...ordered, ...stuck];
}

function nextReady<T extends OrderablePhase>(phases: readonly T[], placed: Set<string>): T | undefined {
  return phases.find((phase) => !placed.has(phase.id) && phase.dependsOn.every((id) => placed.has(id)));
}

/** Depth-first search; a dependency found on the current path closes a cycle. */
function findCycles(phases: readonly OrderablePhase[]): string[][] {
  const byId = new Map(phases.map((phase) => [phase.id, phase]));
  const declared = phases.map((phase) => phase.id);
  const finished = new Set<string>();
  const cycles: string[][] = [];
  const visit = (id: string, trail: string[]): void => {
    if (finished.has(id)) return;
    const start = trail.indexOf(id);
    if (start >= 0) {
      cycles.push(rotateToEarliest(trail.slice(start), declared));
      return;
    }
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      if (byId.has(dependency)) visit(dependency, [...trail, id]);
    }
    finished.add(id);
  };
  for (const id of declared) visit(id, []);
  return cycles;
}

/** The trail runs against the dependency arrows; turn it so it reads "a → b" as "b depends on a". */
function rotateToEarliest(cycle: string[], declared: string[]): string[] {
  const forward = [...cycle].reverse();
  const earliest = forward.reduce((best, id) => (declared.indexOf(id) < declared.indexOf(best) ? id : best));
  const start = forward.indexOf(earliest);
  const rotated = [...forward.slice(start), ...forward.slice(0, start)];
  return [...rotated, earliest];
}
