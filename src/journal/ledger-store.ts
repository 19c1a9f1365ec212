/**
 * What a shared cost ledger needs from the journal's database (budget/shared-ledger.ts keeps the ledger's rules;
 * this is only where its figures live). A journal that several processes share offers one (`Journal.ledgerStore`);
 * the SQLite journal does not, and its runs keep the in-memory ledger. Each call is one transaction.
 */

/** One phase's row: what it spent, what its reservations in flight hold, its limit (null: none). */
export interface LedgerPhaseRow {
  phaseId: string;
  spentUsd: number;
  reservedUsd: number;
  limitUsd: number | null;
}

/** The run's ledger as stored: its limit and every phase that has a limit, spent or reserved. */
export interface LedgerView {
  runLimitUsd: number;
  /** Counts the changes of the run's ledger: of two views, the one with the higher version is the later. */
  version: number;
  phases: LedgerPhaseRow[];
}

/** Reserving is refused by the ledger's rule, applied to the view read under the run's row lock. */
export type ReservationRule = (view: LedgerView) => 'run' | 'phase' | undefined;

export type ReserveAnswer =
  | { reserved: true; id: string; view: LedgerView }
  | { reserved: false; scope: 'run' | 'phase'; view: LedgerView };

export interface LedgerStore {
  /**
   * Opens the run's ledger for the run's lock holder: the limits set, every reservation of the run dropped (none
   * is in flight before its holder starts: any left belong to a dead process) and each phase's spending replaced
   * by `spentByPhase` (the journal's step records, the source of truth at open).
   */
  reset(
    runId: string,
    limits: { runUsd: number; phaseUsd: Record<string, number> },
    spentByPhase: Record<string, number>,
  ): Promise<LedgerView>;
  /** Locks the run's row and the phase's, asks `rule`, and records the reservation unless refused. */
  reserve(runId: string, phaseId: string, usd: number, rule: ReservationRule): Promise<ReserveAnswer>;
  /**
   * Drops the reservation (when given; one already dropped is no error) and adds `spentUsd` to the phase: a
   * commit, a release (0) or a charge without reservation.
   */
  settle(
    runId: string,
    phaseId: string,
    reservationId: string | undefined,
    spentUsd: number,
  ): Promise<LedgerView>;
  /** Changes the run's limit (a resume with `--budget`). */
  setRunLimit(runId: string, usd: number): Promise<LedgerView>;
  /** Drops the run's reservations in flight (a dead process's); answers how many there were. */
  releaseAbandoned(runId: string): Promise<number>;
  read(runId: string): Promise<LedgerView>;
}
