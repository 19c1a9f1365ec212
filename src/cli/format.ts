/** Small formatting helpers for terminal output. */
/** Whole cents as cents (`$0.05`), smaller amounts to a hundredth of a cent (`$0.0123`). */
export function usd(value: number): string {
  const wholeCents = Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;
  return wholeCents || value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}

export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1_000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60 && Math.round(seconds % 60) === 0) return `${minutes}m`;
  return minutes < 60
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function tokens(count: number): string {
  return count < 1_000
    ? String(count)
    : count < 1_000_000
      ? `${(count / 1_000).toFixed(1)}k`
      : `${(count / 1_000_000).toFixed(2)}M`;
}

export function truncate(text: string, width: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= width ? single : `${single.slice(0, Math.max(0, width - 1))}…`;
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [index, cell] of row.entries())
      widths[index] = Math.max(widths[index] ?? 0, visible(cell).length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) =>
          index === row.length - 1 ? cell : cell + ' '.repeat(widths[index]! - visible(cell).length),
        )
        .join('  '),
    )
    .join('\n');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width.
const ansi = /\u001b\[[0-9;]*m/g;
function visible(text: string): string {
  return text.replace(ansi, '');
}
