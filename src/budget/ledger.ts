/**
 * One cost ledger per run (DESIGN §3). A call first reserves its worst case against both its phase's and the
 * run's remainder, then commits what it actually cost. Reservations in flight count as spent, so phases running
 * side by side cannot together overshoot; the overshoot of a limit is bounded by one reservation.
 */
import { BudgetExceededError } from '../errors/index.js';

export interface Reservation {
  readonly phaseId: string;
  readonly usd: number;
  /** The reservation's row when the ledger is shared through a database (shared-ledger.ts). */
  readonly id?: string;
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
 * item of a fanned-out phase (the same calls, answered within the item's own limit as well), or a
 * `SharedLedger` when the journal is Postgres and several processes may spend from one run.
 *
 * The calls that change the ledger answer with a Promise, as a database's would. The reads (`spent`,
 * `available`, the limits, `exhausted`) stay synchronous: they answer from the ledger's local view, which a shared
 * ledger refreshes with every reservation and settlement, so they may lag another process's spending. They are
 * for sizing a call and for reports; the authoritative check is `reserve`'s (for a shared ledger, one database
 * transaction), which refuses a reservation the run or the phase can no longer afford.
 */
export interface Ledger {
  readonly runLimit: number;
  phaseLimit(rawPhaseId: string): number;
  spent(rawPhaseId?: string): number;
  available(rawPhaseId: string): { usd: number; scope: 'run' | 'phase' };
  /** Holds `usd` against the phase's and the run's remainder, or rejects with a `BudgetExceededError`. */
  reserve(rawPhaseId: string, usd: number): Promise<Reservation>;
  commit(reservation: Reservation, actualUsd: number): Promise<void>;
  release(reservation: Reservation): Promise<void>;
  charge(rawPhaseId: string, usd: number): Promise<void>;
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

  // Each change is made before the returned Promise is created, as the synchronous ledger made it: two calls
  // of one process never interleave between a check and its update.
  async reserve(rawPhaseId: string, usd: number): Promise<Reservation> {
    const phaseId = ledgerPhase(rawPhaseId);

    const available = this.available(phaseId);
    // A cap computed to fit exactly may exceed the remainder by a rounding step; a nano-dollar is not overspending.
    if (usd > available.usd + 1e-9) throw this.exhausted(phaseId, available.scope, usd);
    this.reservedByPhase.set(phaseId, (this.reservedByPhase.get(phaseId) ?? 0) + usd);
    return { phaseId, usd };
  }

  /** Settle a reservation with what the call actually cost (0 when it was never made). */
  async commit(reservation: Reservation, actualUsd: number): Promise<void> {
    this.releaseNow(reservation);
    this.chargeNow(reservation.phaseId, actualUsd);
  }

  async release(reservation: Reservation): Promise<void> {
    this.releaseNow(reservation);
  }

  /** Spending recorded in the journal by an earlier process (resume) or by a step that needs no reservation. */
  async charge(rawPhaseId: string, usd: number): Promise<void> {
    this.chargeNow(rawPhaseId, usd);
  }

  private releaseNow(reservation: Reservation): void {
    const reserved = this.reservedByPhase.get(reservation.phaseId) ?? 0;
    this.reservedByPhase.set(reservation.phaseId, Math.max(0, reserved - reservation.usd));
  }

  private chargeNow(rawPhaseId: string, usd: number): void {
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
