/**
 * What the bad-input suite shares: its size (quick in the normal test run, larger with RELIABILITY_TIER=soak),
 * file hashing to prove nothing was written, and the one check every subprocess answer must pass.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import type { CliResult } from '../support/cli.js';

export const SOAK = process.env.RELIABILITY_TIER === 'soak';

/** Quick-tier count, or the soak one. */
export function cases(quick: number, soak: number): number {
  return SOAK ? soak : quick;
}

/** fast-check's seed is printed on failure; FUZZ_SEED replays one. */
export function fuzzParameters(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return seed === undefined ? { numRuns } : { numRuns, seed };
}

/** Every file under `dir` (links not followed) with the sha256 of its bytes; directories as `dir/`. */
export function snapshotTree(dir: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  if (!existsSync(dir)) return snapshot;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const name = relative(dir, path);
      if (entry.isDirectory()) {
        snapshot[`${name}/`] = 'dir';
        walk(path);
      } else if (entry.isFile()) snapshot[name] = sha256(readFileSync(path));
      else snapshot[name] = `other:${lstatSync(path).mode}`;
    }
  };
  walk(dir);
  return snapshot;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The documented exit codes (docs/exit-codes.md). */
export const DOCUMENTED_EXIT_CODES = [0, 1, 2, 3, 4, 5, 130];

/** A stack frame line as Node prints them. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(\(|:\d+:\d+)/m.test(text) || /\n\s{4}at /.test(text);
}

/** What the suite saw, counted before asserting, for its closing line. */
export const observed = { stackTraces: 0, journalsChanged: 0 };

/** A CLI answer to bad input: a documented code, no stack trace, no "internal error" (a bug by definition). */
export function expectCleanFailure(
  result: CliResult,
  context: string,
  allowed = DOCUMENTED_EXIT_CODES,
): void {
  const output = `${result.stdout}\n${result.stderr}`;
  if (hasStackTrace(output)) observed.stackTraces += 1;
  expect(result.signal, `${context}: killed by a signal\n${output}`).toBeNull();
  expect(allowed, `${context}: exit ${result.code}\n${output}`).toContain(result.code);
  expect(hasStackTrace(output), `${context}: stack trace\n${output}`).toBe(false);
  expect(result.stderr, `${context}: internal error\n${output}`).not.toContain('phasewise: internal error');
}
