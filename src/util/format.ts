/**
 * The one place money, durations, token counts and tables are formatted, for the CLI and the report alike.
 * Arithmetic stays exact (sums of floats as they come); only what is shown or serialized is rounded here.
 */
import { stripVTControlCharacters } from 'node:util';

/** USD amounts are serialized to a millionth of a dollar: finer than any price per token times a count. */
export const USD_DECIMALS = 6;

/** `0.5212456999999999` → `0.521246`: what JSON output carries. */
export function roundUsd(value: number): number {
  const factor = 10 ** USD_DECIMALS;
  return Math.round(value * factor) / factor;
}

/**
 * JSON in which every field named `…Usd` (and `costUsd`, `budgetUsd`…) is rounded with `roundUsd`, at any depth:
 * the shape is the caller's, the precision is one rule.
 */
export function jsonWithMoney(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (key, field) => (typeof field === 'number' && key.endsWith('Usd') ? roundUsd(field) : field),
    indent,
  );
}

export interface UsdOptions {
  /**
   * A fixed number of decimals (`{ places: 4 }` → `$0.0500`) instead of the adaptive default: what gate messages,
   * error messages and escalation reasons print, so a recorded message reads the same on every run.
   */
  places?: number;
}

/**
 * Whole cents as cents (`$0.05`), smaller amounts to a hundredth of a cent (`$0.0123`), a dollar and up as cents;
 * with `places`, always that many decimals.
 */
export function usd(value: number, options: UsdOptions = {}): string {
  if (options.places !== undefined) return `$${value.toFixed(options.places)}`;
  const wholeCents = Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;
  return wholeCents || Math.abs(value) >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
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

/** Disk space: `0 B`, `512 B`, `4.0 KB`, `12.3 MB`, `1.20 GB` (powers of 1024). */
export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 ** 2) return `${(count / 1024).toFixed(1)} KB`;
  if (count < 1024 ** 3) return `${(count / 1024 ** 2).toFixed(1)} MB`;
  return `${(count / 1024 ** 3).toFixed(2)} GB`;
}

export function share(value: number | null): string {
  return value === null ? '-' : `${Math.round(value * 100)} %`;
}

export function truncate(text: string, width: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= width ? single : `${single.slice(0, Math.max(0, width - 1))}…`;
}

/** Left-aligned columns; the last column is not padded. Colour codes take no width. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [index, cell] of row.entries())
      widths[index] = Math.max(widths[index] ?? 0, stripVTControlCharacters(cell).length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) =>
          index === row.length - 1
            ? cell
            : cell + ' '.repeat(widths[index]! - stripVTControlCharacters(cell).length),
        )
        .join('  '),
    )
    .join('\n');
}

/**
 * A run's title from its task: the first non-empty line, without Markdown heading marks or a leading `Task:`
 * (`# Task: Add refresh tokens` → `Add refresh tokens`).
 */
export function taskTitle(task: string): string {
  const line = task.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return line
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/^task\s*:\s*/i, '')
    .trim();
}
