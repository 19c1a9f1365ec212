import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { RunLockedError } from '../../../src/errors/index.js';
import type { Journal } from '../../../src/journal/index.js';
import { deadPid } from './dead-pid.js';

const since = '2026-03-01T10:00:00.000Z';
/** A holder that is alive by construction: this very process, under another token. */
const liveOther = () => ({ pid: process.pid, host: hostname(), since, token: 'other-token' });
const mine = () => ({
  pid: process.pid,
  host: hostname(),
  since: '2026-03-01T11:00:00.000Z',
  token: 'my-token',
});

export function describeLockContract(journal: () => Journal): void {
  describe('lock', () => {
    it('takes a free lock and names its holder', () => {
      expect(journal().getLockHolder('run-a')).toBeUndefined();
      journal().acquireLock('run-a', mine());
      expect(journal().getLockHolder('run-a')).toEqual(mine());
    });

    it('lets the same token take it again', () => {
      journal().acquireLock('run-a', mine());
      expect(() => journal().acquireLock('run-a', mine())).not.toThrow();
      expect(journal().getLockHolder('run-a')?.token).toBe('my-token');
    });

    it('refuses a lock a live process holds, naming that holder', () => {
      journal().acquireLock('run-a', liveOther());
      const error = catchError(() => journal().acquireLock('run-a', mine()));
      expect(error).toBeInstanceOf(RunLockedError);
      expect((error as RunLockedError).holder).toEqual({ pid: process.pid, host: hostname(), since });
      expect((error as RunLockedError).runId).toBe('run-a');
      expect(journal().getLockHolder('run-a')?.token).toBe('other-token');
    });

    it('takes over a lock whose holder on this host is gone', () => {
      journal().acquireLock('run-a', { ...liveOther(), pid: deadPid() });
      journal().acquireLock('run-a', mine());
      expect(journal().getLockHolder('run-a')).toEqual(mine());
    });

    it('never presumes a holder on another host dead', () => {
      journal().acquireLock('run-a', { ...liveOther(), pid: deadPid(), host: `not-${hostname()}` });
      expect(() => journal().acquireLock('run-a', mine())).toThrow(RunLockedError);
    });

    it('never breaks the lock of a live process on this host, even with breakLock', () => {
      journal().acquireLock('run-a', liveOther());
      const error = catchError(() => journal().acquireLock('run-a', mine(), { breakLock: true }));
      expect(error).toBeInstanceOf(RunLockedError);
      expect((error as RunLockedError).hint).toMatch(/never takes a run from a live process/);
      expect(journal().getLockHolder('run-a')?.token).toBe('other-token');
    });

    it('breaks, when asked, the lock of a holder on another host', () => {
      journal().acquireLock('run-a', { ...liveOther(), host: `not-${hostname()}` });
      journal().acquireLock('run-a', mine(), { breakLock: true });
      expect(journal().getLockHolder('run-a')).toEqual(mine());
    });

    it('ignores a release by the wrong token and honours the right one', () => {
      journal().acquireLock('run-a', liveOther());
      journal().releaseLock('run-a', 'my-token');
      expect(journal().getLockHolder('run-a')?.token).toBe('other-token');
      journal().releaseLock('run-a', 'other-token');
      expect(journal().getLockHolder('run-a')).toBeUndefined();
      journal().acquireLock('run-a', mine());
      expect(journal().getLockHolder('run-a')?.token).toBe('my-token');
    });

    it('locks each run separately', () => {
      journal().acquireLock('run-a', liveOther());
      journal().acquireLock('run-b', mine());
      expect(journal().getLockHolder('run-b')?.token).toBe('my-token');
    });
  });
}

function catchError(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
