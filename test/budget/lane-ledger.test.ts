/**
 * A work item's lane of the ledger: its calls hold to the item's limit and, through the run's ledger, to the
 * phase's and the run's; items side by side never take the phase past its limit by more than one reservation.
 */
import { describe, expect, it } from 'vitest';
import { LaneLedger } from '../../src/budget/lane-ledger.js';
import { CostLedger } from '../../src/budget/ledger.js';
import { BudgetExceededError } from '../../src/errors/index.js';

const ledger = () => new CostLedger({ runUsd: 1, phaseUsd: { implementation: 0.3 } });

describe('LaneLedger', () => {
  it('answers for the item: its own spending, limit and remainder; the run total passes through', async () => {
    const run = ledger();
    await run.charge('research', 0.2);
    const lane = new LaneLedger(run, 'implementation', 'auth', 0.1);
    const reservation = await lane.reserve('implementation', 0.04);
    expect(lane.available('implementation')).toEqual({ usd: expect.closeTo(0.06, 9), scope: 'phase' });
    await lane.commit(reservation, 0.03);
    expect(lane.spent('implementation')).toBeCloseTo(0.03, 9);
    expect(lane.spent()).toBeCloseTo(0.23, 9);
    expect(lane.phaseLimit('implementation')).toBe(0.1);
    expect(run.spent('implementation')).toBeCloseTo(0.03, 9);
    expect(run.available('implementation').usd).toBeCloseTo(0.27, 9);
  });

  it('refuses a call over the item limit, naming the item, and reserves nothing', async () => {
    const run = ledger();
    const lane = new LaneLedger(run, 'implementation', 'auth', 0.05);
    await lane.charge('implementation', 0.04);
    const refused = await lane.reserve('implementation', 0.02).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as BudgetExceededError).item).toBe('auth');
    expect((refused as Error).message).toMatch(/cost limit of item auth of phase implementation exhausted/);
    expect(run.available('implementation').usd).toBeCloseTo(0.26, 9);
  });

  it('holds three items to the phase limit, whatever their own limits add up to', async () => {
    const run = ledger();
    const lanes = ['a', 'b', 'c'].map((item) => new LaneLedger(run, 'implementation', item, 0.2));
    const held = await Promise.all(lanes.map((lane) => lane.reserve('implementation', 0.1)));
    await expect(lanes[0]!.reserve('implementation', 0.05)).rejects.toThrow(
      /cost limit of phase implementation/,
    );
    for (const [index, lane] of lanes.entries()) await lane.commit(held[index]!, 0.1);
    expect(run.spent('implementation')).toBeCloseTo(0.3, 9);
    const error = lanes[1]!.exhausted('implementation', lanes[1]!.available('implementation').scope);
    expect(error.item).toBeUndefined();
    expect(error.limitUsd).toBe(0.3);
  });

  it('counts what a resumed item had spent before', async () => {
    const lane = new LaneLedger(ledger(), 'implementation', 'auth', 0.1, 0.08);
    expect(lane.available('implementation').usd).toBeCloseTo(0.02, 9);
    expect(lane.spent('implementation')).toBeCloseTo(0.08, 9);
  });
});
