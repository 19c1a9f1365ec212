/**
 * The run lock's rules as a pure function: who may take a run from its holder. A pool worker whose lease is gone
 * is given up from any host; otherwise another host is never presumed dead without --break-lock, and a live
 * holder on this host never.
 */
import { describe, expect, it } from 'vitest';
import { RunLockedError } from '../../src/errors/index.js';
import { type CurrentHolder, requireMayTakeOver } from '../../src/journal/lock-rules.js';

const here = { hostname: 'host-a', isProcessAlive: (pid: number) => pid === 1 };
const candidate = { token: 'new', pid: 2, host: 'host-a', since: 'now' };
const holder = (fields: Partial<CurrentHolder>): CurrentHolder => ({
  token: 'old',
  pid: 1,
  host: 'host-a',
  since: 'then',
  ...fields,
});
const mayTakeOver = (current: CurrentHolder, breakLock = false) => {
  try {
    requireMayTakeOver('run-1', current, candidate, here, { breakLock });
    return true;
  } catch (error) {
    if (error instanceof RunLockedError) return false;
    throw error;
  }
};

describe('requireMayTakeOver', () => {
  it('takes a run from a worker whose lease is gone, on any host, its process alive or not', () => {
    expect(mayTakeOver(holder({ host: 'host-b', workerGone: true }))).toBe(true);
    expect(mayTakeOver(holder({ workerGone: true }))).toBe(true);
  });

  it('keeps the other rules when the worker is alive or the holder is no worker', () => {
    for (const workerGone of [false, undefined]) {
      expect(mayTakeOver(holder({ host: 'host-b', workerGone }))).toBe(false);
      expect(mayTakeOver(holder({ host: 'host-b', workerGone }), true)).toBe(true);
      expect(mayTakeOver(holder({ workerGone }))).toBe(false);
      expect(mayTakeOver(holder({ workerGone }), true)).toBe(false);
      expect(mayTakeOver(holder({ pid: 3, workerGone }))).toBe(true);
    }
  });
});
