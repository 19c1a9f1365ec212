import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { RunLockedError } from '../../../src/errors/index.js';
import type { ContractJournal } from './contract-journal.js';
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

export function describeLockContract(journal: () => ContractJournal): void {
  describe('lock', () => {
    it('takes a free lock and names its holder', async () => {
      expect(await journal().getLockHolder('run-a')).toBeUndefined();
      await journal().acquireLock('run-a', mine());
      expect(await journal().getLockHolder('run-a')).toEqual(mine());
    });

    it('lets the same token take it again', async () => {
      await journal().acquireLock('run-a', mine());
      const takeAgain = async () => journal().acquireLock('run-a', mine());
      await expect(takeAgain()).resolves.not.toThrow();
      expect((await journal().getLockHolder('run-a'))?.token).toBe('my-token');
    });

    it('refuses a lock a live process holds, naming that holder', async () => {
      await journal().acquireLock('run-a', liveOther());
      const error = await catchError(async () => journal().acquireLock('run-a', mine()));
      expect(error).toBeInstanceOf(RunLockedError);
      expect((error as RunLockedError).holder).toEqual({ pid: process.pid, host: hostname(), since });
      expect((error as RunLockedError).runId).toBe('run-a');
      expect((await journal().getLockHolder('run-a'))?.token).toBe('other-token');
    });

    it('takes over a lock whose holder on this host is gone', async () => {
      await journal().acquireLock('run-a', { ...liveOther(), pid: deadPid() });
      await journal().acquireLock('run-a', mine());
      expect(await journal().getLockHolder('run-a')).toEqual(mine());
    });

    it('never presumes a holder on another host dead', async () => {
      await journal().acquireLock('run-a', { ...liveOther(), pid: deadPid(), host: `not-${hostname()}` });
      await expect(async () => journal().acquireLock('run-a', mine())).rejects.toThrow(RunLockedError);
    });

    it('never breaks the lock of a live process on this host, even with breakLock', async () => {
      await journal().acquireLock('run-a', liveOther());
      const error = await catchError(async () => journal().acquireLock('run-a', mine(), { breakLock: true }));
      expect(error).toBeInstanceOf(RunLockedError);
      expect((error as RunLockedError).hint).toMatch(/never takes a run from a live process/);
      expect((await journal().getLockHolder('run-a'))?.token).toBe('other-token');
    });

    it('breaks, when asked, the lock of a holder on another host', async () => {
      await journal().acquireLock('run-a', { ...liveOther(), host: `not-${hostname()}` });
      await journal().acquireLock('run-a', mine(), { breakLock: true });
      expect(await journal().getLockHolder('run-a')).toEqual(mine());
    });

    it('ignores a release by the wrong token and honours the right one', async () => {
      await journal().acquireLock('run-a', liveOther());
      await journal().releaseLock('run-a', 'my-token');
      expect((await journal().getLockHolder('run-a'))?.token).toBe('other-token');
      await journal().releaseLock('run-a', 'other-token');
      expect(await journal().getLockHolder('run-a')).toBeUndefined();
      await journal().acquireLock('run-a', mine());
      expect((await journal().getLockHolder('run-a'))?.token).toBe('my-token');
    });

    it('locks each run separately', async () => {
      await journal().acquireLock('run-a', liveOther());
      await journal().acquireLock('run-b', mine());
      expect((await journal().getLockHolder('run-b'))?.token).toBe('my-token');
    });
  });
}

/** The error `action` fails with, thrown or rejected; an action that succeeds fails the test. */
async function catchError(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
