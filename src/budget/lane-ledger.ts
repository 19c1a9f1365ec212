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

  async reserve(_rawPhaseId: string, usd: number): Promise<Reservation> {
    const own = this.limitUsd - this.spentUsd - this.reservedUsd;
    if (usd > own + 1e-9) throw this.exhausted(this.phaseId, 'phase', usd);
    // Held in the lane before the parent answers, so a call of the same item made meanwhile sees it.
    this.reservedUsd += usd;
    try {
      return await this.parent.reserve(this.phaseId, usd);
    } catch (error) {
      this.reservedUsd = Math.max(0, this.reservedUsd - usd);
      throw error;
    }
  }

  async commit(reservation: Reservation, actualUsd: number): Promise<void> {
    this.reservedUsd = Math.max(0, this.reservedUsd - reservation.usd);
    this.spentUsd += actualUsd;
    await this.parent.commit(reservation, actualUsd);
  }

  async release(reservation: Reservation): Promise<void> {
    this.reservedUsd = Math.max(0, this.reservedUsd - reservation.usd);
    await this.parent.release(reservation);
  }

  async charge(_rawPhaseId: string, usd: number): Promise<void> {
    this.spentUsd += usd;
    await this.parent.charge(this.phaseId, usd);
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
