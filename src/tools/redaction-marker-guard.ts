/**
 * No tool writes a redaction marker (`[REDACTED]`, `[REDACTED:NAME]`) into a file that did not already hold it.
 * A marker in a write or an edit comes from text the model was shown redacted — or, on a resume, from the
 * journaled (redacted) answer whose tool call had not been recorded when the run died: the live run wrote the
 * model's own text, the replay would write the placeholder over it. Either way the file would end up holding a
 * placeholder instead of the value, so the call is refused and the model is told why.
 */
import { REDACTED_MARKER_PREFIX } from '../util/redact.js';
import { quote } from './path-guard.js';
import { ToolRefusal } from './tool-refusal.js';

function countMarkers(text: string): number {
  let count = 0;
  for (
    let index = text.indexOf(REDACTED_MARKER_PREFIX);
    index !== -1;
    index = text.indexOf(REDACTED_MARKER_PREFIX, index + REDACTED_MARKER_PREFIX.length)
  )
    count++;
  return count;
}

/** `current`: the file as it is ('' when it does not exist); `updated`: what the call would leave in it. */
export function refuseNewRedactionMarkers(pathInput: string, current: string, updated: string): void {
  if (!updated.includes(REDACTED_MARKER_PREFIX) || countMarkers(updated) <= countMarkers(current)) return;
  throw new ToolRefusal(
    `the new content of ${quote(pathInput)} contains a ${REDACTED_MARKER_PREFIX}…] placeholder that the file ` +
      `does not hold: it stands for a secret hidden from you (or from the answer this call was replayed ` +
      `from), and writing it would put the placeholder in the file instead of the value. Nothing was written. ` +
      `Write the content without the placeholder (refer to the value where it is defined, e.g. an environment ` +
      `variable), or leave that part to a person`,
  );
}
