import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affordableOutputTokens, costOfUsage, worstCaseCost } from '../../src/budget/cost.js';
import { CostLedger, wrapUpDue } from '../../src/budget/ledger.js';
import { lookupPrice } from '../../src/budget/price-table.js';
import { BudgetExceededError } from '../../src/errors/index.js';
import { describeLedgerContract } from './ledger-contract.js';

describeLedgerContract('CostLedger', async (limits, spentByPhase = {}) => {
  const ledger = new CostLedger(limits);
  for (const [phaseId, usd] of Object.entries(spentByPhase)) await ledger.charge(phaseId, usd);
  return ledger;
});

describe('CostLedger', () => {
  it('counts reservations in flight against both the phase and the run', async () => {
    const ledger = new CostLedger({ runUsd: 1, phaseUsd: { a: 0.6, b: 0.6 } });
    await ledger.reserve('a', 0.5);
    expect(ledger.available('a')).toEqual({ usd: expect.closeTo(0.1), scope: 'phase' });
    expect(ledger.available('b')).toEqual({ usd: expect.closeTo(0.5), scope: 'run' });
    await expect(ledger.reserve('b', 0.55)).rejects.toThrow(BudgetExceededError);
  });

  it('commits actual cost and releases the rest of the reservation', async () => {
    const ledger = new CostLedger({ runUsd: 1, phaseUsd: { a: 1 } });
    const reservation = await ledger.reserve('a', 0.4);
    await ledger.commit(reservation, 0.1);
    expect(ledger.spent('a')).toBeCloseTo(0.1);
    expect(ledger.available('a').usd).toBeCloseTo(0.9);
  });

  it('asks for a wrap-up at 80 % of a phase limit', () => {
    expect(wrapUpDue(0.079, 0.1)).toBe(false);
    expect(wrapUpDue(0.079 + 0.001, 0.1)).toBe(true);
  });

  it('never lets committed spending pass a limit when every call stays within its reservation (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        ),
        async (calls) => {
          const ledger = new CostLedger({ runUsd: 0.5, phaseUsd: { a: 0.4 } });
          for (const [want, share] of calls) {
            try {
              const reservation = await ledger.reserve('a', want);
              await ledger.commit(reservation, want * share);
            } catch (error) {
              expect(error).toBeInstanceOf(BudgetExceededError);
            }
          }
          expect(ledger.spent('a')).toBeLessThanOrEqual(0.4 + 1e-12);
        },
      ),
    );
  });
});

describe('cost', () => {
  const sonnet = lookupPrice('claude-sonnet-4-5')!;

  it('prices every usage field at its own rate', () => {
    const cost = costOfUsage(
      {
        inputNoCache: 50_000,
        cacheRead: 50_000,
        cacheWrite: 50_000,
        cacheWrite1h: 0,
        output: 50_000,
      },
      sonnet,
    );
    expect(cost).toBeCloseTo((3 + 0.3 + 3.75 + 15) / 20, 10);
  });

  it('shrinks the output cap to what fits, and says 0 when even the input does not', () => {
    const tokens = affordableOutputTokens(1_000, 0.01, sonnet);
    expect(worstCaseCost(1_000, tokens, sonnet)).toBeLessThanOrEqual(0.01);
    expect(worstCaseCost(1_000, tokens + 1, sonnet)).toBeGreaterThan(0.01);
    expect(affordableOutputTokens(1_000_000, 0.01, sonnet)).toBe(0);
  });

  it('uses a configured override over the table', () => {
    expect(lookupPrice('claude-sonnet-4-5', { input: 1, output: 2 })).toMatchObject({
      input: 1,
      output: 2,
      cacheRead: 1,
    });
    expect(lookupPrice('no-such-model')).toBeUndefined();
  });
});

describe('price table', () => {
  it('applies long-context rates above the threshold, for the whole request', () => {
    const sonnet = lookupPrice('claude-sonnet-4-5')!;
    const small = costOfUsage({ inputNoCache: 200_000, cacheRead: 0, cacheWrite: 0, output: 0 }, sonnet);
    const large = costOfUsage(
      { inputNoCache: 150_000, cacheRead: 60_000, cacheWrite: 0, output: 1_000_000 },
      sonnet,
    );
    expect(small).toBeCloseTo(0.6, 10);
    expect(large).toBeCloseTo(150_000 * 6e-6 + 60_000 * 0.6e-6 + 22.5, 10);
  });

  it('finds a dated snapshot of a known model, and prices 1-hour cache writes apart', () => {
    const haiku = lookupPrice('claude-haiku-4-5-20251001')!;
    expect(haiku.input).toBe(1);
    const cost = costOfUsage(
      { inputNoCache: 0, cacheRead: 0, cacheWrite: 1_000_000, cacheWrite1h: 400_000, output: 0 },
      haiku,
    );
    expect(cost).toBeCloseTo(0.6 * 1.25 + 0.4 * 2, 10);
  });
});
