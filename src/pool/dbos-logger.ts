/**
 * DBOS's logging, through the project's redactor: DBOS printed a connection string's `?password=` in clear,
 * so every line it logs is redacted (the database password always among the secrets) before it is written.
 * Warnings and errors are written; its chatter (info, debug) only with `PHASEWISE_DEBUG` set.
 */
import type { Redactor } from '../util/redact.js';

/** The shape of DBOS's `DLogger`, kept here so the rest of phasewise need not load DBOS's types. */
export interface DbosLogger {
  info(entry: unknown): void;
  debug(entry: unknown): void;
  warn(entry: unknown): void;
  error(entry: unknown, metadata?: { stack?: string }): void;
}

export function redactingDbosLogger(
  redactor: Redactor,
  write: (line: string) => void,
  verbose = process.env.PHASEWISE_DEBUG !== undefined && process.env.PHASEWISE_DEBUG !== '',
): DbosLogger {
  const line = (level: string, entry: unknown) =>
    write(`dbos ${level}: ${redactor.redact(typeof entry === 'string' ? entry : String(entry))}\n`);
  return {
    info: (entry) => {
      if (verbose) line('info', entry);
    },
    debug: (entry) => {
      if (verbose) line('debug', entry);
    },
    warn: (entry) => line('warning', entry),
    error: (entry, metadata) => {
      line('error', entry instanceof Error ? entry.message : entry);
      if (verbose && metadata?.stack !== undefined) line('error', metadata.stack);
    },
  };
}
