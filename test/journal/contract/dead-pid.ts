import { spawnSync } from 'node:child_process';

/** The pid of a process that has exited (and been reaped), for a lock holder that is provably gone. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not start a short-lived process');
  return child.pid;
}
