/**
 * The parsers of option values that are numbers. Each refuses a bad value with a `phasewise.*` CommanderError
 * (exit 2) whose message names the option, what it takes and what it got; `main` prints it.
 */
import { CommanderError } from 'commander';

export function parseUsd(flag: string, value: string): number {
  const amount = /^\$?(\d+(\.\d+)?|\.\d+)$/.test(value) ? Number(value.replace(/^\$/, '')) : Number.NaN;
  if (!Number.isFinite(amount) || amount <= 0)
    throw new CommanderError(
      2,
      `phasewise.${flag.replace(/^--/, '')}`,
      `${flag} must be a positive amount in USD, got "${value}"`,
    );
  return amount;
}

/** `--reuse`: which phases may reuse a cached result (`orchestrator/phase-reuse.ts`). */
export function parseReuse(value: string): 'read-only' | 'all' | 'off' {
  if (value === 'read-only' || value === 'all' || value === 'off') return value;
  throw new CommanderError(2, 'phasewise.reuse', `--reuse must be read-only, all or off, got "${value}"`);
}

export function parseRepeat(value: string): number {
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1 || count > 100)
    throw new CommanderError(
      2,
      'phasewise.repeat',
      `--repeat must be a whole number from 1 to 100, got "${value}"`,
    );
  return count;
}

export function parseLatency(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms > 60_000)
    throw new CommanderError(
      2,
      'phasewise.latency',
      `--latency must be whole milliseconds up to 60000, got "${value}"`,
    );
  return ms;
}

export function parseRate(flag: string, value: string): number {
  const rate = /^(\d+(\.\d+)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
  if (!(rate >= 0 && rate <= 1))
    throw new CommanderError(
      2,
      'phasewise.rate',
      `${flag} must be a rate from 0 to 1 (e.g. 0.1), got "${value}"`,
    );
  return rate;
}

export function parseWhole(flag: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(Number.isSafeInteger(number) && number >= min && number <= max))
    throw new CommanderError(
      2,
      'phasewise.whole',
      `${flag} must be a whole number from ${min} to ${max}, got "${value}"`,
    );
  return number;
}
