/** Where a value sits in the configuration: mapping keys and list indexes from the top of the document. */
export type FieldPath = readonly (string | number)[];

/** `phases.planning.cost_limit`, `escalation[1]`: the spelling users see in messages. */
export function formatFieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    // A key that is not a plain name (a space, a dot, a control character) is shown quoted and escaped.
    else if (!/^[\w@/:-]+$/.test(segment)) text += `[${JSON.stringify(segment)}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** True when `path` equals `prefix` or lies below it. */
export function isWithin(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** Looks a key up without ever reaching into `Object.prototype` (a phase named `constructor` must not match). */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
