/**
 * The 95 % intervals of an eval's comparison. A rate (solved / runs) gets the Wilson score interval, which stays
 * inside [0, 1] and is honest at 0 or n successes and small n, unlike the normal approximation. A mean (cost,
 * time) gets Student's t interval, mean ± t(0.975, n-1) · s / √n: exact for normal data, and the usual choice
 * for the handful of runs an eval makes; with one run there is no interval.
 */

export interface Interval {
  low: number;
  high: number;
}

const Z_95 = 1.959964;

export function wilsonInterval(successes: number, trials: number): Interval | null {
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = Z_95 * Z_95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** t(0.975, df) for df 1…30; beyond 30 the normal quantile is within 2 %. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(degreesOfFreedom: number): number {
  return T_975[degreesOfFreedom - 1] ?? Z_95;
}

export interface MeanEstimate {
  mean: number;
  interval: Interval | null;
}

export function meanInterval(values: readonly number[]): MeanEstimate | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n === 1) return { mean, interval: null };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { mean, interval: { low: mean - half, high: mean + half } };
}
