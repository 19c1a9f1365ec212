import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseMoney } from '../../src/config/index.js';

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['600s', 600_000],
    ['10 minutes', 600_000],
    ['1 minute', 60_000],
    ['1h30m', 5_400_000],
    ['1 hour 30 minutes', 5_400_000],
    ['2 hours', 7_200_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['1d', 86_400_000],
    ['  45 MIN ', 2_700_000],
    ['90', 90_000],
    [90, 90_000],
    [0.25, 250],
    [0, 0],
  ])('reads %j as %i ms', (input, milliseconds) => {
    expect(parseDuration(input)).toBe(milliseconds);
  });

  it.each(['ten minutes', '', '  ', '-5m', '1e400', '10 parsecs', '30m1h', '1m1m', '10m and', 'm'])(
    'refuses %j',
    (input) => {
      expect(() => parseDuration(input)).toThrow(RangeError);
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, Number('1e400')])('refuses the number %d', (input) => {
    expect(() => parseDuration(input)).toThrow(RangeError);
  });

  it('reads whole seconds, minutes and hours as they are written', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (count) => {
        expect(parseDuration(`${count}s`)).toBe(count * 1000);
        expect(parseDuration(`${count} minutes`)).toBe(count * 60_000);
        expect(parseDuration(count)).toBe(count * 1000);
      }),
    );
  });
});

describe('parseMoney', () => {
  it.each([
    ['$0.05', 0.05],
    ['0.05', 0.05],
    [0.05, 0.05],
    ['$1.5', 1.5],
    [' $2 ', 2],
    ['.5', 0.5],
    ['0', 0],
  ])('reads %j as %d', (input, amount) => {
    expect(parseMoney(input)).toBe(amount);
  });

  it.each(['$', '', 'five', '-1', '$-1', '-$1', '1e400', '1e3', '0.05 USD', 'USD 0.05', '1,000', '$$1'])(
    'refuses %j',
    (input) => {
      expect(() => parseMoney(input)).toThrow(RangeError);
    },
  );

  it.each([-0.01, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %d', (input) => {
    expect(() => parseMoney(input)).toThrow(RangeError);
  });

  it('reads every amount written with two decimals, with or without the dollar sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (cents) => {
        const text = (cents / 100).toFixed(2);
        expect(parseMoney(text)).toBe(Number(text));
        expect(parseMoney(`$${text}`)).toBe(Number(text));
      }),
    );
  });
});
