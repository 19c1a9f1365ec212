/**
 * A worker's lease as a `WorkerExtension`: the workers table opened with a timeout under a third of the lease,
 * the lease started with the worker (its id the DBOS executor id, its version the application version), dead
 * peers recovered through DBOS, and the lease stopped last. A worker stopped cleanly is marked stopped; one whose
 * lease is gone is told through `onLost` (the CLI ends the process: its journal writes are fenced anyway, and a
 * live peer recovers its runs).
 */
import { openWorkerRegistry, type WorkerRegistry } from '../journal/index.js';
import type { Redactor } from '../util/redact.js';
import { recoverDeadExecutors } from './dbos-recovery.js';
import { type Lease, startLease } from './lease.js';
import type { WorkerExtension } from './worker.js';

export interface LeaseExtensionOptions {
  url: string;
  leaseMs: number;
  onLost(reason: string): void;
  log?: (line: string) => void;
  redactor?: Redactor;
}

export function leaseExtension(options: LeaseExtensionOptions): WorkerExtension {
  let registry: WorkerRegistry | undefined;
  let lease: Lease | undefined;
  return {
    async start({ executorId, version }) {
      registry = await openWorkerRegistry({ url: options.url, timeoutMs: options.leaseMs / 3 });
      lease = await startLease({
        registry,
        workerId: executorId,
        appVersion: version,
        leaseMs: options.leaseMs,
        recover: async (dead) => {
          const moved = await recoverDeadExecutors(dead);
          options.log?.(
            `worker ${executorId}: recovered ${dead.join(', ')} (${moved.length} execution${moved.length === 1 ? '' : 's'} queued again)\n`,
          );
        },
        onLost: options.onLost,
        ...(options.log === undefined
          ? {}
          : { log: (entry) => options.log?.(`worker ${entry.workerId} ${entry.level}: ${entry.message}\n`) }),
        ...(options.redactor === undefined ? {} : { redactor: options.redactor }),
      });
    },
    async stop() {
      await lease?.stop();
      await registry?.close();
    },
  };
}
