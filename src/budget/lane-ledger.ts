/**
 * A work item's share of its phase's ledger. Every call an item's agent makes reserves against the item's limit,
 * and through the run's ledger against the phase's remainder and the run's, so however many items run side by
 * side the phase never spends more than its limit by more than one reservation, nor the run its budget. Spending
 * is recorded once, in the run's ledger; the lane only keeps the item's own sum. An item's wrap-up note and its
 * cost are its own: `spent(phase)` and `phaseLimit(phase)` answer for the item.
 */
import { BudgetExceededError } from '../errors/index.js';
import type { Ledger, Reservation } from './ledger.js';

export class LaneLedger implements Ledger {
  private spentUsd = 0;
  private reservedUsd = 0;

  constructor(
    private readonly parent: Ledger,
    private readonly phaseId: string,
    private readonly item: string,
    private readonly limitUsd: number,
    /** Spending of the item recorded before (a resume). */
    alreadySpentUsd = 0,
  ) {
    this.spentUsd = alreadySpentUsd;
  }

  get runLimit(): number {
    return this.parent.runLimit;
  }

  phaseLimit(_rawPhaseId?: string): number {
    return Math.min(this.limitUsd, this.parent.phaseLimit(this.phaseId));
  }

  spent(rawPhaseId?: string): number {
    return rawPhaseId === undefined ? this.parent.spent() : this.spentUsd;
  }

  available(_rawPhaseId?: string): { usd: number; scope: 'run' | 'phase' } {
    const outer = this.parent.available(this.phaseId);
    const own = Math.max(0, this.limitUsd - this.spentUsd - this.reservedUsd);
    return own < outer.usd ? { usd: own, scope: 'phase' } : outer;
  }

  reserve(_rawPhaseId: string, usd: number): Reservation {
    const own = this.limitUsd - this.spentUsd - this.reservedUsd;
    if (usd > own + 1e-9) throw this.exhausted(this.phaseId, 'phase', usd);
    const reservation = this.parent.reserve(this.phaseId, usd);
    this.reservedUsd += usd;
    return reservation;
  }

  commit(reservation: Reservation, actualUsd: number): void {
    this.release(reservation);
    this.charge(this.phaseId, actualUsd);
  }

  release(reservation: Reservation): void {
    this.parent.release(reservation);
    this.reservedUsd = Math.max(0, this.reservedUsd - reservation.usd);
  }

  charge(_rawPhaseId: string, usd: number): void {
    this.parent.charge(this.phaseId, usd);
    this.spentUsd += usd;
  }

  exhausted(_rawPhaseId: string, scope: 'run' | 'phase', neededUsd?: number): BudgetExceededError {
    const outer = this.parent.available(this.phaseId);
    // The item's own limit is the binding one only when it leaves less than the phase's and the run's remainder.
    const ownBinding = this.limitUsd - this.spentUsd - this.reservedUsd < outer.usd;
    if (scope === 'run' || !ownBinding) return this.parent.exhausted(this.phaseId, scope, neededUsd);
    return new BudgetExceededError({
      scope: 'phase',
      phaseId: this.phaseId,
      item: this.item,
      spentUsd: this.spentUsd,
      limitUsd: this.limitUsd,
      ...(neededUsd === undefined ? {} : { neededUsd }),
    });
  }
}
