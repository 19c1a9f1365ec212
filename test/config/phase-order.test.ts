import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/config/did-you-mean.js';
import { orderPhases } from '../../src/config/phase-order.js';

const phase = (id: string, ...dependsOn: string[]) => ({ id, dependsOn });

describe('orderPhases', () => {
  it('puts dependencies first and otherwise keeps the declared order', () => {
    const cycles: string[][] = [];
    const ordered = orderPhases([phase('c', 'b'), phase('a'), phase('d'), phase('b', 'a')], (cycle) =>
      cycles.push(cycle),
    );
    expect(ordered.map((entry) => entry.id)).toEqual(['a', 'd', 'b', 'c']);
    expect(cycles).toEqual([]);
  });

  it('reports each cycle once, in the direction work flows, and keeps its phases at the end', () => {
    const cycles: string[][] = [];
    const ordered = orderPhases(
      [phase('x', 'z'), phase('y', 'x'), phase('z', 'y'), phase('free'), phase('after', 'x')],
      (cycle) => cycles.push(cycle),
    );
    expect(cycles).toEqual([['x', 'y', 'z', 'x']]);
    expect(ordered.map((entry) => entry.id)).toEqual(['free', 'x', 'y', 'z', 'after']);
  });
});

describe('did you mean', () => {
  it('counts a swapped pair of letters as one edit', () => {
    expect(editDistance('hiaku', 'haiku')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(closestMatch('quality_gat', ['quality_gate', 'cost_limit'])).toBe('quality_gate');
    expect(closestMatch('Reserch', ['research', 'review'])).toBe('research');
    expect(closestMatch('ab', ['xy'])).toBeUndefined();
    expect(closestMatch('colour', ['version', 'task'])).toBeUndefined();
  });
});
