/**
 * A run's trace id and its first run span's id, derived from the run id: every invocation of a run (the start
 * and each resume) lands in the same trace, and a resume links to the first run span without the journal
 * keeping anything.
 */
import { createHash } from 'node:crypto';

export function runTraceId(runId: string): string {
  return hexDigest(`phasewise trace ${runId}`, 32);
}

export function runSpanId(runId: string): string {
  return hexDigest(`phasewise run span ${runId}`, 16);
}

function hexDigest(text: string, length: number): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, length);
  // An all-zero id is invalid in OpenTelemetry; a digest starting with 16 zero digits is not going to happen,
  // but the fallback keeps the id valid whatever.
  return /^0+$/.test(hex) ? `${'0'.repeat(length - 1)}1` : hex;
}
