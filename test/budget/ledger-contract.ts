/**
 * The ledger contract, run against the memory ledger (`CostLedger`) and the ledger shared through Postgres
 * (`SharedLedger`): the same figures and refusals for the same calls. The factory opens a fresh run's ledger with
 * its limits and what the journal records as spent (a resume).
 */
import { describe, expect, it } from 'vitest';
import type { Ledger, LedgerLimits } from '../../src/budget/ledger.js';
import { BudgetExceededError } from '../../src/errors/index.js';

export type ResizableLedger = Ledger & { setRunLimit(usd: number): void | Promise<void> };

export type OpenLedger = (
  limits: LedgerLimits,
  spentByPhase?: Record<string, number>,
) => Promise<ResizableLedger>;

export function describeLedgerContract(name: string, open: OpenLedger): void {
  describe(`${name} (ledger contract)`, () => {
    it('counts reservations in flight against both the phase and the run', async () => {
      const ledger = await open({ runUsd: 1, phaseUsd: { a: 0.6, b: 0.6 } });
      await ledger.reserve('a', 0.5);
      expect(ledger.available('a')).toEqual({ usd: expect.closeTo(0.1, 9), scope: 'phase' });
      expect(ledger.available('b')).toEqual({ usd: expect.closeTo(0.5, 9), scope: 'run' });
      const refused = await ledger.reserve('b', 0.55).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BudgetExceededError);
      expect(refused).toMatchObject({ scope: 'run', limitUsd: 1 });
      // A refused reservation holds nothing.
      expect(ledger.available('b').usd).toBeCloseTo(0.5, 9);
    });

    it('refuses over the phase limit naming the phase, what it spent and its limit', async () => {
      const ledger = await open({ runUsd: 10, phaseUsd: { a: 0.3 } });
      await ledger.commit(await ledger.reserve('a', 0.2), 0.2);
      const refused = await ledger.reserve('a', 0.15).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BudgetExceededError);
      expect(refused).toMatchObject({ scope: 'phase', phaseId: 'a', limitUsd: 0.3 });
      expect((refused as BudgetExceededError).spentUsd).toBeCloseTo(0.2, 9);
      // What exactly fits is granted (a nano-dollar of rounding is not overspending).
      await expect(ledger.reserve('a', 0.1)).resolves.toMatchObject({ phaseId: 'a', usd: 0.1 });
    });

    it('commits the actual cost and gives back the rest of the reservation', async () => {
      const ledger = await open({ runUsd: 1, phaseUsd: { a: 1 } });
      const reservation = await ledger.reserve('a', 0.4);
      await ledger.commit(reservation, 0.1);
      expect(ledger.spent('a')).toBeCloseTo(0.1, 9);
      expect(ledger.spent()).toBeCloseTo(0.1, 9);
      expect(ledger.available('a').usd).toBeCloseTo(0.9, 9);
    });

    it('releases a reservation whole, spending nothing', async () => {
      const ledger = await open({ runUsd: 1, phaseUsd: { a: 0.5 } });
      const reservation = await ledger.reserve('a', 0.5);
      expect(ledger.available('a').usd).toBeCloseTo(0, 9);
      await ledger.release(reservation);
      expect(ledger.spent('a')).toBe(0);
      expect(ledger.available('a').usd).toBeCloseTo(0.5, 9);
    });

    it('charges spending without a reservation, a phase without a limit counting against the run only', async () => {
      const ledger = await open({ runUsd: 1, phaseUsd: { a: 0.5 } });
      await ledger.charge('a', 0.2);
      await ledger.charge('', 0.3);
      expect(ledger.spent('a')).toBeCloseTo(0.2, 9);
      expect(ledger.spent('')).toBeCloseTo(0.3, 9);
      expect(ledger.spent()).toBeCloseTo(0.5, 9);
      expect(ledger.phaseLimit('')).toBe(Number.POSITIVE_INFINITY);
      expect(ledger.available('a')).toEqual({ usd: expect.closeTo(0.3, 9), scope: 'phase' });
      expect(ledger.available('')).toEqual({ usd: expect.closeTo(0.5, 9), scope: 'run' });
    });

    it('keys a later round of a phase by the phase', async () => {
      const ledger = await open({ runUsd: 1, phaseUsd: { implementation: 0.4 } });
      await ledger.commit(await ledger.reserve('implementation@2', 0.3), 0.3);
      expect(ledger.spent('implementation')).toBeCloseTo(0.3, 9);
      expect(ledger.phaseLimit('implementation@3')).toBe(0.4);
      await expect(ledger.reserve('implementation@3', 0.2)).rejects.toThrow(
        /cost limit of phase implementation/,
      );
    });

    it('starts from what the journal records as spent (a resume)', async () => {
      const ledger = await open({ runUsd: 1, phaseUsd: { a: 0.5, b: 0.5 } }, { a: 0.4, '': 0.1 });
      expect(ledger.spent('a')).toBeCloseTo(0.4, 9);
      expect(ledger.spent()).toBeCloseTo(0.5, 9);
      expect(ledger.available('a').usd).toBeCloseTo(0.1, 9);
      await expect(ledger.reserve('a', 0.2)).rejects.toThrow(BudgetExceededError);
    });

    it('follows a run limit changed on resume, up and down', async () => {
      const ledger = await open({ runUsd: 0.5, phaseUsd: { a: 5 } }, { a: 0.45 });
      await expect(ledger.reserve('a', 0.2)).rejects.toMatchObject({ scope: 'run', limitUsd: 0.5 });
      await ledger.setRunLimit(1);
      expect(ledger.runLimit).toBe(1);
      const reservation = await ledger.reserve('a', 0.2);
      await ledger.commit(reservation, 0.2);
      await ledger.setRunLimit(0.7);
      expect(ledger.available('a')).toEqual({ usd: expect.closeTo(0.05, 9), scope: 'run' });
      await expect(ledger.reserve('a', 0.1)).rejects.toMatchObject({ scope: 'run', limitUsd: 0.7 });
    });

    it('never lets committed spending pass a limit when every call stays within its reservation', async () => {
      const ledger = await open({ runUsd: 0.5, phaseUsd: { a: 0.4, b: 0.3 } });
      let seed = 17;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      let refusals = 0;
      for (let call = 0; call < 60; call += 1) {
        const phase = random() < 0.5 ? 'a' : 'b';
        const want = random() * 0.08;
        const reservation = await ledger.reserve(phase, want).catch((error: unknown) => {
          expect(error).toBeInstanceOf(BudgetExceededError);
          refusals += 1;
          return undefined;
        });
        if (reservation !== undefined) await ledger.commit(reservation, want * random());
      }
      expect(refusals).toBeGreaterThan(0);
      expect(ledger.spent('a')).toBeLessThanOrEqual(0.4 + 1e-9);
      expect(ledger.spent('b')).toBeLessThanOrEqual(0.3 + 1e-9);
      expect(ledger.spent()).toBeLessThanOrEqual(0.5 + 1e-9);
    });
  });
}
