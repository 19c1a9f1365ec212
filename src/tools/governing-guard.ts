/**
 * Detect and restore around one command run without the sandbox (`governing-fingerprint.ts`). Commands running at
 * once in this process (phases in parallel) share one fingerprint, taken before the first of them started: a
 * command that starts while another has already changed a governing file must not take that change for the
 * state to put back. Whichever finishes first puts back every change and is the one named for it.
 */
import { realpathSync } from 'node:fs';
import {
  type GoverningFingerprint,
  type RestoredPath,
  restoreGoverning,
  takeGoverningFingerprint,
} from './governing-fingerprint.js';

const inFlight = new Map<string, { fingerprint: GoverningFingerprint; commands: number }>();

/** Runs `command`, then puts back what it (or a command running beside it) changed. */
export async function withGoverningRestored<T>(
  workspace: string,
  protectedFiles: readonly string[],
  command: () => Promise<T>,
): Promise<{ result: T; restored: RestoredPath[] }> {
  const key = [realpathSync(workspace), ...protectedFiles].join('\0');
  const shared = inFlight.get(key) ?? {
    fingerprint: takeGoverningFingerprint(workspace, protectedFiles),
    commands: 0,
  };
  shared.commands += 1;
  inFlight.set(key, shared);
  try {
    let result: T;
    try {
      result = await command();
    } catch (error) {
      // The command failed to start or the wait was cut short: whatever it did is still put back.
      restoreGoverning(shared.fingerprint);
      throw error;
    }
    return { result, restored: restoreGoverning(shared.fingerprint) };
  } finally {
    shared.commands -= 1;
    if (shared.commands === 0) inFlight.delete(key);
  }
}
