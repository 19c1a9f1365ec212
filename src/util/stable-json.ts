import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values always serialize (and hash) the same. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Paths (`a.b[2].c`) at which two JSON-like values differ, with both values, for "what changed" messages. */
export function diffValues(before: unknown, after: unknown, path = ''): string[] {
  if (stableStringify(before) === stableStringify(after)) return [];
  const bothObjects =
    before !== null && after !== null && typeof before === 'object' && typeof after === 'object';
  if (!bothObjects || Array.isArray(before) !== Array.isArray(after)) {
    return [`${path === '' ? '(root)' : path}: ${brief(before)} → ${brief(after)}`];
  }
  const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
  const out: string[] = [];
  for (const key of [...keys].sort()) {
    const sub = Array.isArray(before) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    out.push(
      ...diffValues((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], sub),
    );
  }
  return out;
}

function brief(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
