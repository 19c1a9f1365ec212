import type { FieldPath } from '../util/field-path.js';

export { type FieldPath, formatFieldPath } from '../util/field-path.js';

/** True when `path` equals `prefix` or lies below it. */
export function isWithin(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** Looks a key up without ever reaching into `Object.prototype` (a phase named `constructor` must not match). */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
