/** Median, min and max of repeated measurements, printed as a row. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

export function formatStats(label: string, value: Stats, unit: string, digits = 2): string {
  const f = (n: number) => n.toFixed(digits);
  return `${label.padEnd(48)} median ${f(value.median)} ${unit}  (min ${f(value.min)}, max ${f(value.max)}, ${value.runs} runs)`;
}

export function argValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value === undefined || !Number.isFinite(value) ? fallback : value;
}
