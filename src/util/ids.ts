import { randomBytes } from 'node:crypto';

/** A run id that sorts by creation time and is short enough to type: `20261125-183012-a1b2`. */
export function newRunId(now: number = Date.now()): string {
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export type IdGenerator = (now: number) => string;
