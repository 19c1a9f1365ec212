/**
 * The run's ledger as its lock holder opens it, charged with everything the journal records as paid (a resume
 * counts what earlier processes spent, before any phase replays; replayed steps are not charged again). A journal
 * with a ledger store (Postgres) gets a `SharedLedger` reset from those records; any other, a `CostLedger` in
 * this process's memory.
 */
import type { Journal, StepRecord } from '../journal/index.js';
import { CostLedger, type Ledger, type LedgerLimits, ledgerPhase } from './ledger.js';
import { SharedLedger } from './shared-ledger.js';

export async function openRunLedger(
  journal: Journal,
  runId: string,
  limits: LedgerLimits,
  recorded: readonly Pick<StepRecord, 'phaseId' | 'costUsd'>[],
): Promise<Ledger> {
  const store = journal.ledgerStore?.();
  if (store !== undefined) return SharedLedger.open(store, runId, limits, spentByPhase(recorded));
  const ledger = new CostLedger(limits);
  for (const step of recorded) if (step.costUsd > 0) await ledger.charge(step.phaseId ?? '', step.costUsd);
  return ledger;
}

function spentByPhase(recorded: readonly Pick<StepRecord, 'phaseId' | 'costUsd'>[]): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const step of recorded) {
    if (step.costUsd <= 0) continue;
    const phaseId = ledgerPhase(step.phaseId ?? '');
    spent[phaseId] = (spent[phaseId] ?? 0) + step.costUsd;
  }
  return spent;
}
