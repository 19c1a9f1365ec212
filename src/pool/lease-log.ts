/**
 * What a worker's lease says, and where: one line per event (registered, a failed renewal, a claim, a recovery,
 * the lease lost), each passed through the redactor when one is given. The registry's errors already name the
 * database without its password; the redactor catches anything else secret-looking.
 */
import type { Redactor } from '../util/redact.js';

export interface LeaseLogEntry {
  level: 'info' | 'warn' | 'error';
  workerId: string;
  message: string;
}

export type LeaseLog = (level: LeaseLogEntry['level'], message: string) => void;

/** A log for `workerId`: to `sink` (stderr by default), redacted by `redactor` when given. */
export function leaseLog(
  workerId: string,
  sink: ((entry: LeaseLogEntry) => void) | undefined,
  redactor: Redactor | undefined,
): LeaseLog {
  return (level, message) => {
    const text = redactor === undefined ? message : redactor.redact(message);
    (sink ?? writeToStderr)({ level, workerId, message: text });
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function writeToStderr({ level, workerId, message }: LeaseLogEntry): void {
  process.stderr.write(`phasewise worker ${workerId} ${level}: ${message}\n`);
}
