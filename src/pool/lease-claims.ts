/**
 * After a renewal: claim the expired peers of this worker's version (claimed by this worker alone) and recover
 * their runs; a claim whose recovery fails is given back, so the next claim — this worker's or a peer's — tries
 * again rather than leaving the dead worker's runs stranded.
 */
import type { WorkerRegistry } from '../journal/index.js';
import { type LeaseLog, messageOf } from './lease-log.js';

export interface ClaimContext {
  registry: WorkerRegistry;
  workerId: string;
  appVersion: string;
  recover(deadWorkerIds: string[]): Promise<void>;
  log: LeaseLog;
  /** Asked before recovering: a worker that has stopped or lost its lease recovers nothing. */
  isActive(): boolean;
}

export async function claimAndRecover(context: ClaimContext): Promise<void> {
  const { registry, workerId, log } = context;
  let dead: string[];
  try {
    dead = await registry.claimDead(workerId, context.appVersion);
  } catch (error) {
    log('warn', `could not look for dead peers: ${messageOf(error)}`);
    return;
  }
  if (dead.length === 0) return;
  const names = dead.join(', ');
  try {
    if (!context.isActive()) throw new Error('this worker is stopping');
    log('info', `claimed dead peers ${names}; recovering their runs`);
    await context.recover(dead);
    log('info', `recovered the runs of ${names}`);
  } catch (error) {
    log('error', `could not recover the runs of ${names}: ${messageOf(error)}; giving them back`);
    await registry.releaseClaims(workerId, dead).catch((release: unknown) => {
      log('error', `could not give back the claim of ${names}: ${messageOf(release)}`);
    });
  }
}
