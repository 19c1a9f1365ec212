/**
 * The phase cache in the workspace's SQLite journal (table `phase_cache`, schema version 3). Statements are
 * prepared on first use, so a journal opened only to read runs never needs the table.
 */
import type { PhaseCacheEntry, PhaseCacheRow, PhaseCacheStore } from './phase-cache-store.js';
import { PHASE_CACHE_COLUMNS, toCacheEntry, toCacheRow } from './phase-cache-store.js';
import type { DatabaseSync } from './sqlite-module.js';

/** Added in version 3. */
export const PHASE_CACHE_TABLE = `
CREATE TABLE phase_cache (
  key          TEXT PRIMARY KEY,
  phase_id     TEXT NOT NULL,
  run_id       TEXT NOT NULL,
  outcome_json TEXT NOT NULL,
  report       TEXT,
  cost_usd     REAL NOT NULL,
  tokens_json  TEXT NOT NULL,
  duration_ms  INTEGER NOT NULL,
  tree_before  TEXT,
  tree_after   TEXT,
  changes      TEXT,
  created_at   TEXT NOT NULL
) STRICT;
`;

export function sqlitePhaseCache(
  db: DatabaseSync,
  guard: <T>(doing: string, work: () => T) => T,
): PhaseCacheStore {
  const columns = PHASE_CACHE_COLUMNS.join(', ');
  const placeholders = PHASE_CACHE_COLUMNS.map(() => '?').join(', ');
  return {
    async find(key: string): Promise<PhaseCacheEntry | undefined> {
      return guard(`read the phase cache entry ${key.slice(0, 12)}`, () => {
        const row = db.prepare(`SELECT ${columns} FROM phase_cache WHERE key = ?`).get(key);
        return row === undefined ? undefined : toCacheEntry(row as unknown as PhaseCacheRow);
      });
    },
    async store(entry: PhaseCacheEntry): Promise<void> {
      guard(`store phase ${entry.phaseId} of run ${entry.runId} in the phase cache`, () =>
        db
          .prepare(
            `INSERT INTO phase_cache (${columns}) VALUES (${placeholders}) ON CONFLICT (key) DO NOTHING`,
          )
          .run(...(toCacheRow(entry) as (string | number | null)[])),
      );
    },
  };
}
