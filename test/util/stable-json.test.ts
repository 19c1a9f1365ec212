import { describe, expect, it } from 'vitest';
import { diffValues, stableStringify } from '../../src/util/stable-json.js';

describe('stableStringify', () => {
  it('orders keys so equal values serialize the same', () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe(stableStringify({ a: { c: 3, d: 2 }, b: 1 }));
  });
});

describe('diffValues', () => {
  it('names each changed path with both values', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toEqual(['b.c[1]: 2 → 3']);
    expect(diffValues({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
