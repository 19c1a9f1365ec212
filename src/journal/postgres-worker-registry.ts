/**
 * The workers table as a worker's lease uses it (`pool/lease.ts`): register, renew, stop, claim dead peers. It
 * has a pool of its own, small and quick to give up (connection and query timeouts under a third of the lease),
 * so a heartbeat never queues behind the journal's work and a server that stops answering fails a renewal in
 * time for the worker to notice it is losing its lease. Failures are JournalErrors that name the database
 * without its password.
 */
import { toJournalError } from './postgres-errors.js';
import { parseDatabaseUrl } from './postgres-location.js';
import { requireCurrentVersion } from './postgres-migrate.js';
import { createPool, journalTables, type PostgresConnection } from './postgres-pool.js';
import {
  claimDeadWorkers,
  insertWorker,
  markWorkerStopped,
  releaseClaims,
  renewWorker,
  type WorkerRegistration,
} from './postgres-workers.js';

export type { WorkerRegistration } from './postgres-workers.js';

/** The lease's view of the workers table; tests may give a lease another implementation. */
export interface WorkerRegistry {
  /** The database, without its password. */
  readonly location: string;
  register(worker: WorkerRegistration): Promise<void>;
  /** False when the lease is gone: the worker was stopped or claimed by a peer. */
  renew(workerId: string): Promise<boolean>;
  markStopped(workerId: string): Promise<void>;
  /** Dead peers of `appVersion`, now claimed by `claimer` and by nobody else. */
  claimDead(claimer: string, appVersion: string): Promise<string[]>;
  releaseClaims(claimer: string, workerIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface OpenWorkerRegistryOptions {
  /** postgresql://USER:PASSWORD@HOST:PORT/DATABASE, as for the journal. */
  url: string;
  /** The journal's schema; `phasewise` by default. */
  schema?: string;
  /** Longest wait for a connection or one query; a third of the lease is right for a lease's registry. */
  timeoutMs?: number;
}

/** Opens the registry of a database at this build's journal schema version; throws JournalError if it cannot. */
export async function openWorkerRegistry(options: OpenWorkerRegistryOptions): Promise<WorkerRegistry> {
  const target = parseDatabaseUrl(options.url, options.schema);
  const timeoutMs = Math.max(100, Math.round(options.timeoutMs ?? 5_000));
  const pool = await createPool(target, {
    max: 2,
    connectionTimeoutMillis: timeoutMs,
    queryTimeoutMillis: timeoutMs,
    applicationName: 'phasewise worker lease',
  });
  const connection: PostgresConnection = { target, pool, tables: journalTables(target.schema) };
  const guard = async <T>(doing: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toJournalError(target, doing, error);
    }
  };
  try {
    await guard('open the workers table', () => requireCurrentVersion(connection));
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed = false;
  return {
    location: target.location,
    register: (worker) => guard(`register worker ${worker.workerId}`, () => insertWorker(connection, worker)),
    renew: (workerId) =>
      guard(`renew the lease of worker ${workerId}`, () => renewWorker(connection, workerId)),
    markStopped: (workerId) =>
      guard(`mark worker ${workerId} stopped`, () => markWorkerStopped(connection, workerId)),
    claimDead: (claimer, appVersion) =>
      guard(`claim dead workers for ${claimer}`, () => claimDeadWorkers(connection, claimer, appVersion)),
    releaseClaims: (claimer, workerIds) =>
      guard(`release the claims of ${claimer}`, () => releaseClaims(connection, claimer, workerIds)),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
