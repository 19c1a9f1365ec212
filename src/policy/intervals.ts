/**
 * The two 95 % intervals the simulation reports. Proportions (tasks solved, wrong work shipped) get the Wilson
 * score interval over the number of tasks: how far the rate could move on another sample of tasks like these.
 * Costs get the 2.5th and 97.5th percentiles of the Monte Carlo trials: how far the verifier's chance verdicts
 * move them (none with a perfect verifier, whose result is not random).
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/** Wilson score interval for `successes` out of `n` (successes may be an expectation, not a whole number). */
export function wilsonInterval(
  successes: number,
  n: number,
  z: number = Z_95,
): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * The `q` quantile (0–1) of values already sorted ascending, interpolating linearly between order statistics
 * (the usual "type 7" definition: position (n − 1)·q).
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** The 95 % percentile range of trial values (unsorted). */
export function percentileRange(values: readonly number[]): { low: number; high: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { low: percentile(sorted, 0.025), high: percentile(sorted, 0.975) };
}
