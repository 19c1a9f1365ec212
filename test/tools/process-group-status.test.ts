/**
 * The command's own exit is what runInProcessGroup reports, also when it was stopped: its status when it handled
 * the SIGTERM and exited, the signal when the SIGTERM ended it. The supervisor (Linux) must pass either on as it
 * came, whatever instant the signal lands at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcessGroup } from '../../src/tools/process-group.js';

const cwd = mkdtempSync(join(tmpdir(), 'phasewise-process-group-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function stopAfter(command: string, timeoutMs: number) {
  return runInProcessGroup({
    command,
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs,
    killGraceMs: 2_000,
    abortSignal: new AbortController().signal,
    headBytes: 1_000,
    tailBytes: 1_000,
  });
}

describe('the exit of a stopped command', () => {
  it('is its own status when it handles the SIGTERM and exits, every time', async () => {
    const results = await Promise.all(
      [300, 320, 340, 360, 380].map((timeoutMs) =>
        stopAfter("trap 'sleep 0.02; exit 7' TERM; sleep 30 & wait", timeoutMs),
      ),
    );
    expect(results.map(({ ending, exitCode, signal }) => ({ ending, exitCode, signal }))).toEqual(
      Array(5).fill({ ending: 'timed-out', exitCode: 7, signal: null }),
    );
  }, 20_000);

  it('is the signal when the SIGTERM ends it', async () => {
    const result = await stopAfter('sleep 30', 300);
    expect({ ending: result.ending, exitCode: result.exitCode, signal: result.signal }).toEqual({
      ending: 'timed-out',
      exitCode: null,
      signal: 'SIGTERM',
    });
  }, 20_000);
});
