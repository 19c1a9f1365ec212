/**
 * The phase cache's store: a passed phase's result under the hash of everything it depended on (the key is built
 * by the orchestrator, `orchestrator/phase-cache-key.ts`; the store never reads it). It lives in the journal's
 * database, beside the runs, so a later run in the same workspace — or on any worker sharing the Postgres
 * journal — finds it. The first result stored under a key stays: an equal key means an equal result was due.
 *
 * What is stored is plain JSON and text the orchestrator redacted, as everything journaled is.
 */

export interface PhaseCacheEntry {
  /** sha256 (hex) of the key's inputs, a key-format version among them. */
  key: string;
  phaseId: string;
  /** The run whose phase produced it. */
  runId: string;
  /** The phase's passed outcome as it was recorded (the orchestrator owns its shape). */
  outcome: unknown;
  /** The phase's report, written again into a reusing run's artifacts. */
  report: string | null;
  /** What the phase cost and used when it ran. */
  costUsd: number;
  tokens: unknown;
  durationMs: number;
  /**
   * A workspace-changing phase's trees (git tree ids) before and after, and its changes as a binary patch from
   * one to the other; null for a read-only phase.
   */
  treeBefore: string | null;
  treeAfter: string | null;
  changes: string | null;
  /** ISO time. */
  createdAt: string;
}

export interface PhaseCacheStore {
  find(key: string): Promise<PhaseCacheEntry | undefined>;
  /** Keeps the first entry stored under a key; storing another under it again does nothing. */
  store(entry: PhaseCacheEntry): Promise<void>;
}

/** The columns of the cache's table, in both databases. */
export const PHASE_CACHE_COLUMNS = [
  'key',
  'phase_id',
  'run_id',
  'outcome_json',
  'report',
  'cost_usd',
  'tokens_json',
  'duration_ms',
  'tree_before',
  'tree_after',
  'changes',
  'created_at',
] as const;

export interface PhaseCacheRow {
  key: string;
  phase_id: string;
  run_id: string;
  outcome_json: string;
  report: string | null;
  cost_usd: number;
  tokens_json: string;
  duration_ms: number | string;
  tree_before: string | null;
  tree_after: string | null;
  changes: string | null;
  created_at: string;
}

export function toCacheRow(entry: PhaseCacheEntry): unknown[] {
  return [
    entry.key,
    entry.phaseId,
    entry.runId,
    JSON.stringify(entry.outcome),
    entry.report,
    entry.costUsd,
    JSON.stringify(entry.tokens ?? null),
    Math.round(entry.durationMs),
    entry.treeBefore,
    entry.treeAfter,
    entry.changes,
    entry.createdAt,
  ];
}

export function toCacheEntry(row: PhaseCacheRow): PhaseCacheEntry {
  return {
    key: row.key,
    phaseId: row.phase_id,
    runId: row.run_id,
    outcome: JSON.parse(row.outcome_json),
    report: row.report,
    costUsd: Number(row.cost_usd),
    tokens: JSON.parse(row.tokens_json),
    durationMs: Number(row.duration_ms),
    treeBefore: row.tree_before,
    treeAfter: row.tree_after,
    changes: row.changes,
    createdAt: row.created_at,
  };
}
