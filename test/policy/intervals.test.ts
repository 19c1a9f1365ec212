/** The interval arithmetic, against values worked out by hand. */
import { describe, expect, it } from 'vitest';
import { percentile, percentileRange, seededRandomForTest, wilsonInterval } from './intervals-support.js';

describe('wilsonInterval (95 %)', () => {
  it('3 of 4', () => {
    // z² = 3.8415; centre (0.75 + 0.48018) / 1.96036 = 0.62753; half 0.99980 × sqrt(0.046875 + 0.060023) = 0.32689
    const { low, high } = wilsonInterval(3, 4);
    expect(low).toBeCloseTo(0.30064, 4);
    expect(high).toBeCloseTo(0.95442, 4);
  });

  it('0 of 4 and 4 of 4: one end at the bound, the other at z² / (n + z²) from it', () => {
    // 3.8415 / 7.8415 = 0.48990
    expect(wilsonInterval(0, 4).low).toBeCloseTo(0, 12);
    expect(wilsonInterval(0, 4).high).toBeCloseTo(0.4899, 4);
    expect(wilsonInterval(4, 4).low).toBeCloseTo(1 - 0.4899, 4);
    expect(wilsonInterval(4, 4).high).toBeCloseTo(1, 12);
  });

  it('50 of 100: 0.5 ± 0.0961 (the centre stays at a half)', () => {
    // centre 0.5; half (1.96 / 1.038415) × sqrt(0.0025 + 3.8415 / 40000) = 1.88745 × 0.050951 = 0.096168
    const { low, high } = wilsonInterval(50, 100);
    expect(low).toBeCloseTo(0.40383, 4);
    expect(high).toBeCloseTo(0.59617, 4);
  });
});

describe('percentile (linear between order statistics)', () => {
  it('interpolates at position (n − 1) · q', () => {
    const sorted = [1, 2, 3, 4, 5];
    // positions 0.1 and 3.9
    expect(percentile(sorted, 0.025)).toBeCloseTo(1.1, 12);
    expect(percentile(sorted, 0.975)).toBeCloseTo(4.9, 12);
    expect(percentile(sorted, 0.5)).toBe(3);
    expect(percentile([7], 0.975)).toBe(7);
  });

  it('sorts what it is given for the 95 % range', () => {
    // 0..40 shuffled: positions 1 and 39
    const values = Array.from({ length: 41 }, (_, index) => index);
    const random = seededRandomForTest(5);
    values.sort(() => random() - 0.5);
    expect(percentileRange(values)).toEqual({ low: 1, high: 39 });
  });
});
