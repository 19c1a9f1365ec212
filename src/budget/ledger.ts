/**
 * One cost ledger per run (DESIGN §3). A call first reserves its worst case against both its phase's and the
 * run's remainder, then commits what it actually cost. Reservations in flight count as spent, so phases running
 * side by side cannot together overshoot; the overshoot of a limit is bounded by one reservation.
 */
import { BudgetExceededError } from '../errors/index.js';

export interface Reservation {
  readonly phaseId: string;
  readonly usd: number;
}

export interface LedgerLimits {
  runUsd: number;
  phaseUsd: Record<string, number>;
}

/** Share of a phase's limit after which its agent is told to wrap up. */
export const WRAP_UP_SHARE = 0.8;

/**
 * Whether a phase that has spent `spentUsd` should wrap up. A pure function of the phase's own spending, so a
 * replayed attempt places the note exactly where the original did.
 */
export function wrapUpDue(spentUsd: number, limitUsd: number): boolean {
  // Sums of dollar fractions are inexact; a nano-dollar of slack keeps 80 % meaning 80 %.
  return spentUsd >= WRAP_UP_SHARE * limitUsd - 1e-9;
}

/**
 * A phase run again in a later round (`implementation@2`, sent back by review) spends from the same phase's
 * limit: the ledger keys everything by the phase, not the round.
 */
export function ledgerPhase(phaseId: string): string {
  return phaseId.replace(/@\d+$/, '');
}

/**
 * What a phase and its agents see of the ledger: the run's `CostLedger` for a phase, a `LaneLedger` for a work
 * item of a fanned-out phase (the same calls, answered within the item's own limit as well).
 */
export interface Ledger {
  readonly runLimit: number;
  phaseLimit(rawPhaseId: string): number;
  spent(rawPhaseId?: string): number;
  available(rawPhaseId: string): { usd: number; scope: 'run' | 'phase' };
  reserve(rawPhaseId: string, usd: number): Reservation;
  commit(reservation: Reservation, actualUsd: number): void;
  release(reservation: Reservation): void;
  charge(rawPhaseId: string, usd: number): void;
  exhausted(rawPhaseId: string, scope: 'run' | 'phase', neededUsd?: number): BudgetExceededError;
}

export class CostLedger implements Ledger {
  private readonly spentByPhase = new Map<string, number>();
  private readonly reservedByPhase = new Map<string, number>();
  private runLimitUsd: number;

  constructor(private readonly limits: LedgerLimits) {
    this.runLimitUsd = limits.runUsd;
  }

  /** Raise or lower the run budget (a resume with `--budget`). */
  setRunLimit(usd: number): void {
    this.runLimitUsd = usd;
  }

  get runLimit(): number {
    return this.runLimitUsd;
  }

  phaseLimit(rawPhaseId: string): number {
    const phaseId = ledgerPhase(rawPhaseId);

    return this.limits.phaseUsd[phaseId] ?? Number.POSITIVE_INFINITY;
  }

  spent(rawPhaseId?: string): number {
    const phaseId = rawPhaseId === undefined ? undefined : ledgerPhase(rawPhaseId);

    if (phaseId !== undefined) return this.spentByPhase.get(phaseId) ?? 0;
    return sum(this.spentByPhase.values());
  }

  /** What the next call of this phase may still commit, counting reservations in flight. */
  available(rawPhaseId: string): { usd: number; scope: 'run' | 'phase' } {
    const phaseId = ledgerPhase(rawPhaseId);

    const phase = this.phaseLimit(phaseId) - this.spent(phaseId) - (this.reservedByPhase.get(phaseId) ?? 0);
    const run = this.runLimitUsd - this.spent() - sum(this.reservedByPhase.values());
    return phase <= run
      ? { usd: Math.max(0, phase), scope: 'phase' }
      : { usd: Math.max(0, run), scope: 'run' };
  }

  reserve(rawPhaseId: string, usd: number): Reservation {
    const phaseId = ledgerPhase(rawPhaseId);

    const available = this.available(phaseId);
    // A cap computed to fit exactly may exceed the remainder by a rounding step; a nano-dollar is not overspending.
    if (usd > available.usd + 1e-9) throw this.exhausted(phaseId, available.scope, usd);
    this.reservedByPhase.set(phaseId, (this.reservedByPhase.get(phaseId) ?? 0) + usd);
    return { phaseId, usd };
  }

  /** Settle a reservation with what the call actually cost (0 when it was never made). */
  commit(reservation: Reservation, actualUsd: number): void {
    this.release(reservation);
    this.charge(reservation.phaseId, actualUsd);
  }

  release(reservation: Reservation): void {
    const reserved = this.reservedByPhase.get(reservation.phaseId) ?? 0;
    this.reservedByPhase.set(reservation.phaseId, Math.max(0, reserved - reservation.usd));
  }

  /** Spending recorded in the journal by an earlier process (resume) or by a step that needs no reservation. */
  charge(rawPhaseId: string, usd: number): void {
    const phaseId = ledgerPhase(rawPhaseId);

    this.spentByPhase.set(phaseId, this.spent(phaseId) + usd);
  }

  exhausted(rawPhaseId: string, scope: 'run' | 'phase', neededUsd?: number): BudgetExceededError {
    const phaseId = ledgerPhase(rawPhaseId);

    const details =
      scope === 'phase'
        ? { scope, phaseId, spentUsd: this.spent(phaseId), limitUsd: this.phaseLimit(phaseId) }
        : { scope, phaseId, spentUsd: this.spent(), limitUsd: this.runLimitUsd };
    return new BudgetExceededError(neededUsd === undefined ? details : { ...details, neededUsd });
  }
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
