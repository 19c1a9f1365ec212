/**
 * A run's status as every view shows it. The run record says `running` until its process writes the end; a
 * process that was killed never does. So a run recorded as running whose lock holder is gone (no holder, or a
 * holder on this host whose process is dead) is `interrupted`. A holder on another host cannot be checked and
 * is believed. A run that ended between the reading of its record and of its lock (it writes its end, then lets
 * the lock go) is read again: it ended, it was not interrupted.
 */
import { hostname } from 'node:os';
import type { RunStatus } from '../events/index.js';
import type { Journal, RunRecord } from '../journal/journal.js';

export async function liveStatus(journal: Journal, run: RunRecord): Promise<RunStatus> {
  if (run.status !== 'running') return run.status;
  const holder = await journal.getLockHolder(run.runId);
  if (holder === undefined) {
    const now = (await journal.getRun(run.runId))?.status;
    return now === undefined || now === 'running' ? 'interrupted' : now;
  }
  if (holder.host !== hostname()) return 'running';
  try {
    process.kill(holder.pid, 0);
    return 'running';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'running' : 'interrupted';
  }
}
