/**
 * The run's ledger when its figures live in the journal's database (a Postgres journal): several processes may
 * spend from one run, and none overspends it. Every reservation is decided by the store inside one transaction
 * that locks the run's ledger row, with the same rule as the memory ledger (`CostLedger`): reservations in flight
 * count as spent, and a limit is exceeded by at most one reservation. Settling a reservation drops its row and
 * adds what the call cost.
 *
 * The reads (`spent`, `available`, the limits) answer from the view the last reservation or settlement of this
 * process brought back: another process's spending shows at the next one. They size calls; the reservation's
 * transaction is the check that counts, and it refuses with the same `BudgetExceededError` as the memory ledger.
 *
 * On open, the lock holder resets the stored figures from the journal's step records (`open`): the journal is the
 * source of truth, reservations left by a dead process are dropped, and a replay charges nothing again.
 */
import { BudgetExceededError } from '../errors/index.js';
import type { LedgerStore, LedgerView } from '../journal/index.js';
import { type Ledger, type LedgerLimits, ledgerPhase, type Reservation } from './ledger.js';

export class SharedLedger implements Ledger {
  #view: LedgerView;

  /** Opens the run's ledger for its lock holder, its spending per phase taken from the journal. */
  static async open(
    store: LedgerStore,
    runId: string,
    limits: LedgerLimits,
    spentByPhase: Record<string, number>,
  ): Promise<SharedLedger> {
    return new SharedLedger(store, runId, await store.reset(runId, limits, spentByPhase));
  }

  /**
   * Joins the run's ledger as opened by its lock holder, without resetting it: another process spending from the
   * same run (a worker running part of it).
   */
  static async attach(store: LedgerStore, runId: string): Promise<SharedLedger> {
    return new SharedLedger(store, runId, await store.read(runId));
  }

  private constructor(
    private readonly store: LedgerStore,
    private readonly runId: string,
    view: LedgerView,
  ) {
    this.#view = view;
  }

  get runLimit(): number {
    return this.#view.runLimitUsd;
  }

  phaseLimit(rawPhaseId: string): number {
    return phaseLimitIn(this.#view, ledgerPhase(rawPhaseId));
  }

  spent(rawPhaseId?: string): number {
    return spentIn(this.#view, rawPhaseId === undefined ? undefined : ledgerPhase(rawPhaseId));
  }

  available(rawPhaseId: string): { usd: number; scope: 'run' | 'phase' } {
    return availableIn(this.#view, ledgerPhase(rawPhaseId));
  }

  async reserve(rawPhaseId: string, usd: number): Promise<Reservation> {
    const phaseId = ledgerPhase(rawPhaseId);
    const answer = await this.store.reserve(this.runId, phaseId, usd, (view) => {
      const available = availableIn(view, phaseId);
      // As the memory ledger: a cap computed to fit exactly may exceed the remainder by a rounding step.
      return usd > available.usd + 1e-9 ? available.scope : undefined;
    });
    this.#see(answer.view);
    if (!answer.reserved) throw this.exhausted(phaseId, answer.scope, usd);
    return { phaseId, usd, id: answer.id };
  }

  async commit(reservation: Reservation, actualUsd: number): Promise<void> {
    this.#see(await this.store.settle(this.runId, reservation.phaseId, reservation.id, actualUsd));
  }

  async release(reservation: Reservation): Promise<void> {
    this.#see(await this.store.settle(this.runId, reservation.phaseId, reservation.id, 0));
  }

  async charge(rawPhaseId: string, usd: number): Promise<void> {
    this.#see(await this.store.settle(this.runId, ledgerPhase(rawPhaseId), undefined, usd));
  }

  /** Raise or lower the run budget for every process spending from the run. */
  async setRunLimit(usd: number): Promise<void> {
    this.#see(await this.store.setRunLimit(this.runId, usd));
  }

  /** Drops the reservations a dead process left in flight; answers how many. */
  async releaseAbandoned(): Promise<number> {
    const released = await this.store.releaseAbandoned(this.runId);
    this.#see(await this.store.read(this.runId));
    return released;
  }

  /** Keeps the later of two views: answers to calls made side by side may arrive in any order. */
  #see(view: LedgerView): void {
    if (view.version >= this.#view.version) this.#view = view;
  }

  exhausted(rawPhaseId: string, scope: 'run' | 'phase', neededUsd?: number): BudgetExceededError {
    const phaseId = ledgerPhase(rawPhaseId);

    const details =
      scope === 'phase'
        ? { scope, phaseId, spentUsd: this.spent(phaseId), limitUsd: this.phaseLimit(phaseId) }
        : { scope, phaseId, spentUsd: this.spent(), limitUsd: this.runLimit };
    return new BudgetExceededError(neededUsd === undefined ? details : { ...details, neededUsd });
  }
}

function phaseLimitIn(view: LedgerView, phaseId: string): number {
  return view.phases.find((phase) => phase.phaseId === phaseId)?.limitUsd ?? Number.POSITIVE_INFINITY;
}

function spentIn(view: LedgerView, phaseId: string | undefined): number {
  let total = 0;
  for (const phase of view.phases)
    if (phaseId === undefined || phase.phaseId === phaseId) total += phase.spentUsd;
  return total;
}

/** The memory ledger's rule over stored figures: the smaller of the phase's and the run's remainder. */
function availableIn(view: LedgerView, phaseId: string): { usd: number; scope: 'run' | 'phase' } {
  let reservedInRun = 0;
  let reservedInPhase = 0;
  for (const phase of view.phases) {
    reservedInRun += phase.reservedUsd;
    if (phase.phaseId === phaseId) reservedInPhase += phase.reservedUsd;
  }
  const phase = phaseLimitIn(view, phaseId) - spentIn(view, phaseId) - reservedInPhase;
  const run = view.runLimitUsd - spentIn(view, undefined) - reservedInRun;
  return phase <= run ? { usd: Math.max(0, phase), scope: 'phase' } : { usd: Math.max(0, run), scope: 'run' };
}
