/** Where a value sits in a document (a configuration, a JSON data file): mapping keys and list indexes. */
export type FieldPath = readonly (string | number)[];

/** `phases.planning.cost_limit`, `tasks[3].results.gpt-5-mini.cost_usd`: the spelling users see in messages. */
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
