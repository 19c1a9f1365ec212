/**
 * The phase cache in the shared Postgres journal (table `phase_cache`, added by a migration): every worker
 * sharing the database finds what any of them stored. A write is one statement; the first entry under a key
 * stays, so a retried write that had landed changes nothing.
 */
import type { PhaseCacheEntry, PhaseCacheRow, PhaseCacheStore } from './phase-cache-store.js';
import { PHASE_CACHE_COLUMNS, toCacheEntry, toCacheRow } from './phase-cache-store.js';
import type { PostgresConnection } from './postgres-pool.js';

type Guard = <T>(doing: string, work: () => Promise<T>) => Promise<T>;

export function postgresPhaseCache(connection: PostgresConnection, guard: Guard): PhaseCacheStore {
  const table = connection.tables.phaseCache;
  const columns = PHASE_CACHE_COLUMNS.join(', ');
  const placeholders = PHASE_CACHE_COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
  return {
    find: (key) =>
      guard(`read the phase cache entry ${key.slice(0, 12)}`, async () => {
        const result = await connection.pool.query<PhaseCacheRow>(
          `SELECT ${columns} FROM ${table} WHERE key = $1`,
          [key],
        );
        const row = result.rows[0];
        return row === undefined ? undefined : toCacheEntry(row);
      }),
    store: (entry: PhaseCacheEntry) =>
      guard(`store phase ${entry.phaseId} of run ${entry.runId} in the phase cache`, async () => {
        await connection.pool.query(
          `INSERT INTO ${table} (${columns}) VALUES (${placeholders}) ON CONFLICT (key) DO NOTHING`,
          toCacheRow(entry),
        );
      }),
  };
}
